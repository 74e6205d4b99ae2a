import { Job } from './entities/job.entity';
import { newJobRecord } from './job-records';
import { finalState, JobProgress, withProblem } from './job-progress';

const progressOf = (job: Job) => {
  const saved: Job[] = [];
  const progress = new JobProgress(
    job,
    (j) => {
      saved.push({ ...j });
      return Promise.resolve();
    },
    new AbortController().signal,
  );
  return { progress, saved };
};

describe('JobProgress', () => {
  it('adds what the work counted to the record and saves it each time', async () => {
    const job = newJobRecord('products.refresh', 3, 'instance-a');
    const { progress, saved } = progressOf(job);
    await progress.add({ processed: 2, created: 1, notFound: 1 }, ['external_id 2: not found']);
    await progress.add({ processed: 1, failed: 1 }, ['external_id 3: upstream answered 503']);
    expect(job).toMatchObject({
      processed: 3,
      created: 1,
      updated: 0,
      unchanged: 0,
      notFound: 1,
      failed: 1,
    });
    expect(JSON.parse(job.errors)).toEqual([
      'external_id 2: not found',
      'external_id 3: upstream answered 503',
    ]);
    expect(saved.map((j) => j.processed)).toEqual([2, 3]);
  });

  it('keeps the first 20 errors', async () => {
    const { progress } = progressOf(newJobRecord('k', 0, 'a'));
    await progress.add(
      {},
      Array.from({ length: 15 }, (_, i) => `first ${i}`),
    );
    await progress.add(
      {},
      Array.from({ length: 15 }, (_, i) => `second ${i}`),
    );
    const errors = JSON.parse(progress.job.errors) as string[];
    expect(errors).toHaveLength(20);
    expect(errors[19]).toBe('second 4');
  });
});

describe('the end of a job', () => {
  const ended = (processed: number, failed: number) =>
    finalState(Object.assign(newJobRecord('k', processed, 'a'), { processed, failed }));

  it('succeeded when nothing failed, failed when everything did, partially_failed between', () => {
    expect(ended(0, 0)).toBe('succeeded');
    expect(ended(5, 0)).toBe('succeeded');
    expect(ended(5, 2)).toBe('partially_failed');
    expect(ended(5, 5)).toBe('failed');
  });

  it('adds the reason it stopped, in the last place when the list is full', () => {
    expect(JSON.parse(withProblem('["a"]', 'stopped'))).toEqual(['a', 'stopped']);
    const full = JSON.stringify(Array.from({ length: 20 }, (_, i) => `e${i}`));
    const errors = JSON.parse(withProblem(full, 'stopped')) as string[];
    expect(errors).toHaveLength(20);
    expect(errors.slice(-2)).toEqual(['e18', 'stopped']);
  });
});

describe('newJobRecord', () => {
  it('starts running, with nothing counted and no errors', () => {
    expect(newJobRecord('rates.sync', 0, 'instance-a')).toMatchObject({
      kind: 'rates.sync',
      state: 'running',
      owner: 'instance-a',
      total: 0,
      processed: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      notFound: 0,
      failed: 0,
      errors: '[]',
      finishedAt: null,
    });
  });
});
