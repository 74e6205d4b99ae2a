import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The threads this process has before any of its code ran (imported first by main.ts): V8's
 * platform workers, which do the garbage collector's background work for every heap, and Node's
 * watchdog threads; none of them serves a request. Linux only (per-thread nice values).
 */
const STARTUP_HELPERS: number[] =
  process.platform === 'linux'
    ? readdirSync('/proc/self/task')
        .map(Number)
        .filter((tid) => tid !== process.pid)
    : [];

/**
 * Gives the runtime's helper threads the nice value `nice`; returns how many took it. On a busy
 * core the collector's background work then yields to the event loop that answers requests;
 * where the OS refuses, the threads keep their priority.
 */
export function lowerHelperThreads(nice: number): number {
  if (nice === 0) {
    return 0;
  }
  return STARTUP_HELPERS.filter((tid) => {
    try {
      setPriority(tid, nice);
      return true;
    } catch {
      // not permitted here, or not a thread of ours any more
      return false;
    }
  }).length;
}
