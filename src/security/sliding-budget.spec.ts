import { SlidingBudget } from './sliding-budget';

describe('SlidingBudget', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000));

  it('grants spends up to the limit, then refuses the one that would go over, whole', () => {
    const budget = new SlidingBudget(3000, 60_000, clock);
    expect(budget.take('a', 1000)).toBe(0);
    now += 10_000;
    expect(budget.take('a', 2500)).toBe(50_000);
    expect(budget.used('a')).toBe(1000);
    expect(budget.take('a', 2000)).toBe(0);
    expect(budget.used('a')).toBe(3000);
    expect(budget.take('a', 1)).toBe(50_000);
  });

  it('slides: a spend leaves the window windowMs after it was made', () => {
    const budget = new SlidingBudget(10, 1_000, clock);
    expect(budget.take('a', 6)).toBe(0);
    now += 400;
    expect(budget.take('a', 4)).toBe(0);
    // 6 leave at +1000 (600 ms from now), the 4 at +1400
    expect(budget.take('a', 5)).toBe(600);
    expect(budget.take('a', 7)).toBe(1_000);
    now += 600;
    expect(budget.used('a')).toBe(4);
    expect(budget.take('a', 5)).toBe(0);
  });

  it('keeps one bucket per client', () => {
    const budget = new SlidingBudget(5, 1_000, clock);
    expect(budget.take('a', 5)).toBe(0);
    expect(budget.take('b', 5)).toBe(0);
    expect(budget.take('a', 1)).toBeGreaterThan(0);
    expect(budget.used('c')).toBe(0);
  });

  it('a spend over the whole limit can never fit', () => {
    const budget = new SlidingBudget(5, 1_000, clock);
    expect(budget.take('a', 6)).toBe(Infinity);
    expect(budget.used('a')).toBe(0);
  });

  it('forgets idle buckets once a window has passed', () => {
    const budget = new SlidingBudget(5, 1_000, clock);
    budget.take('a', 5);
    now += 1_500;
    budget.take('b', 1);
    const buckets = (budget as unknown as { buckets: Map<string, unknown> }).buckets;
    expect([...buckets.keys()]).toEqual(['b']);
  });
});
