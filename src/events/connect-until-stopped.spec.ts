import { connectUntilStopped, StoppedBeforeConnect } from './connect-until-stopped';

// nothing listens on port 1: every attempt is refused at once
const UNREACHABLE = { servers: 'nats://127.0.0.1:1' };

describe('connectUntilStopped', () => {
  it('tries again after each failure, and stops when told to, with StoppedBeforeConnect', async () => {
    const controller = new AbortController();
    const attempts: number[] = [];
    const connecting = connectUntilStopped(UNREACHABLE, controller.signal, 10, (_error, n) => {
      attempts.push(n);
      if (n === 3) {
        controller.abort();
      }
    });
    await expect(connecting).rejects.toBeInstanceOf(StoppedBeforeConnect);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('stops during the wait between attempts, without waiting it out', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const connecting = connectUntilStopped(UNREACHABLE, controller.signal, 60_000, () =>
      controller.abort(),
    );
    await expect(connecting).rejects.toBeInstanceOf(StoppedBeforeConnect);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not try at all once stopped', async () => {
    const controller = new AbortController();
    controller.abort();
    const onFailure = jest.fn();
    await expect(
      connectUntilStopped(UNREACHABLE, controller.signal, 10, onFailure),
    ).rejects.toBeInstanceOf(StoppedBeforeConnect);
    expect(onFailure).not.toHaveBeenCalled();
  });
});
