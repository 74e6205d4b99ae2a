/**
 * `promise`'s value, or undefined as soon as `signal` aborts, whichever comes first. Unlike a
 * `Promise.race` with one long-lived "aborted" promise, nothing stays attached once it settles:
 * racing every page of a refresh against one pending promise kept every page's results alive
 * (each race left a reaction on it) until the job ended — memory grew with the product count.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
