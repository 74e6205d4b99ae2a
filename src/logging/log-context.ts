import { AsyncResource } from 'node:async_hooks';
import { storage } from 'nestjs-pino/storage';

/** Runs `fn` in the async context captured earlier (so its log lines carry that request's id). */
export type InLogContext = <R>(fn: () => R) => R;

const direct: InLogContext = (fn) => fn();
/** One runner per request's log store: calls made for the same request share it. */
const runners = new WeakMap<object, InLogContext>();

/**
 * Captures the current request's log context for work that finishes elsewhere (an answer from
 * the upstream worker thread). Bound once per request, not per call: each `AsyncResource.bind`
 * stays alive while its call waits, and one refresh makes thousands of outbound calls.
 */
export function captureLogContext(): InLogContext {
  const store = storage.getStore();
  if (!store) {
    return direct;
  }
  let runner = runners.get(store);
  if (!runner) {
    const bound: InLogContext = AsyncResource.bind(<R>(fn: () => R): R => fn());
    runners.set(store, bound);
    runner = bound;
  }
  return runner;
}
