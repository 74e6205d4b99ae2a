import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The threads this process has before any of its code ran (imported first by main.ts): V8's
 * platform workers — which run the garbage collector's parallel and concurrent work for every
 * heap in the process, the upstream worker thread's included — and Node's own watchdog
 * threads. None of them serves a request: the libuv pool (file and SQLite work for requests)
 * starts later, on first use. Linux only: elsewhere there is no per-thread nice value.
 */
const STARTUP_HELPERS: number[] =
  process.platform === 'linux'
    ? readdirSync('/proc/self/task')
        .map(Number)
        .filter((tid) => tid !== process.pid)
    : [];

/**
 * Gives the runtime's helper threads the nice value `nice`; returns how many took it. On a
 * busy core the collector's helpers then yield to the API's event loop instead of sharing the
 * core with it: the upstream worker's heap (a refresh allocates a lot there) is collected when
 * the core has time to spare, and the API's own collections — whose pauses the main thread
 * spends working, not waiting for the helpers — are not slowed. Where the OS refuses, the
 * threads keep their priority.
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
