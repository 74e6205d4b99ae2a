import { AsyncResource } from 'node:async_hooks';
import { storage } from 'nestjs-pino/storage';

/** Runs `fn` in the async context captured earlier (so its log lines carry that request's id). */
export type InLogContext = <R>(fn: () => R) => R;

const direct: InLogContext = (fn) => fn();
/** One runner per request's log store: calls made for the same request share it. */
const runners = new WeakMap<object, InLogContext>();

/**
 * Captures the current request's log context for work that finishes elsewhere (an answer from
 * the upstream worker thread). `AsyncResource.bind` costs a few kilobytes per call, kept alive
 * while the call waits: per outbound call that was most of what a refresh allocated on the main
 * thread, and the garbage collector's pauses were what GET requests waited for. Bound once
 * per request instead, a refresh of 10,000 products binds once.
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
