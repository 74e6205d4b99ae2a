import { getEventListeners } from 'node:events';
import { untilAborted } from './until-aborted';

describe('untilAborted', () => {
  it('gives the value and leaves no listener on the signal', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 100; i++) {
      await expect(untilAborted(Promise.resolve(i), controller.signal)).resolves.toBe(i);
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('gives undefined at once when the signal aborts first', async () => {
    const controller = new AbortController();
    const pending = untilAborted(new Promise<number>(() => undefined), controller.signal);
    controller.abort();
    await expect(pending).resolves.toBeUndefined();
    await expect(untilAborted(Promise.resolve(1), controller.signal)).resolves.toBeUndefined();
  });

  it('passes a rejection on and removes its listener', async () => {
    const controller = new AbortController();
    await expect(
      untilAborted(Promise.reject(new Error('boom')), controller.signal),
    ).rejects.toThrow('boom');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
