/** Polls `probe` until it returns a value that `done` accepts, or fails after the deadline. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  { deadlineMs = 30_000, everyMs = 50, what = 'condition' } = {},
): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (done(value)) {
      return value;
    }
    if (Date.now() > end) {
      throw new Error(
        `${what} not reached within ${deadlineMs} ms; last value: ${JSON.stringify(value)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
