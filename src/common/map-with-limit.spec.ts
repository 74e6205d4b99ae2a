import { mapWithLimit } from './map-with-limit';

describe('mapWithLimit', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithLimit([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(peak).toBe(3);
  });

  it('handles no items, and a limit above the number of items', async () => {
    await expect(mapWithLimit([], 4, () => Promise.resolve(1))).resolves.toEqual([]);
    await expect(mapWithLimit([1, 2], 10, (n) => Promise.resolve(n + 1))).resolves.toEqual([2, 3]);
  });

  it('rejects with the first failure', async () => {
    await expect(
      mapWithLimit([1, 2, 3], 2, (n) =>
        n === 2 ? Promise.reject(new Error('two')) : Promise.resolve(n),
      ),
    ).rejects.toThrow('two');
  });
});
