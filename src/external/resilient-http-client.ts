import type { ConfigType } from '@nestjs/config';
import { AxiosInstance, isAxiosError } from 'axios';
import {
  BrokenCircuitError,
  BulkheadPolicy,
  bulkhead,
  circuitBreaker,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  handleWhen,
  IBackoff,
  IRetryBackoffContext,
  retry,
  RetryPolicy,
} from 'cockatiel';
import { performance } from 'node:perf_hooks';
import type { externalConfig } from '../config/external.config';
import { UpstreamError } from './upstream-error';
import {
  AttemptFailure,
  ATTEMPT_OUTCOMES,
  CircuitStateName,
  UpstreamHttp,
  UpstreamObserver,
  UpstreamOutcome,
  UpstreamResponse,
} from './upstream-http';

const STATE_NAMES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'isolated',
};

const MAX_RETRY_AFTER_MS = 30_000;

/** Reads a 429's Retry-After (seconds or an HTTP date) as milliseconds. */
function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * Every outbound GET goes through here: a bounded number in flight (bulkhead), a per-attempt
 * timeout that also cuts a hanging connect (AbortSignal), retries with exponential backoff and
 * jitter for transient failures (honouring Retry-After), and one circuit breaker per host.
 * It never throws HttpException: callers get an UpstreamError and decide what it means.
 *
 * Built by hand (ExternalModule's factory, or the worker thread), not by Nest's injector, so it
 * imports neither Nest nor the config schema: the worker thread loads only axios and cockatiel.
 */
export class ResilientHttpClient extends UpstreamHttp {
  private readonly limiter: BulkheadPolicy;
  private readonly retryPolicy: RetryPolicy;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(
    /** HttpModule's instance (HttpService.axiosRef) on the main thread; the worker's own in the worker. */
    private readonly http: AxiosInstance,
    private readonly config: ConfigType<typeof externalConfig>,
    private readonly observer: UpstreamObserver,
  ) {
    super();
    this.limiter = bulkhead(config.concurrency, Number.MAX_SAFE_INTEGER);
    const exponential = new ExponentialBackoff({ initialDelay: 100, maxDelay: 5_000 });
    this.retryPolicy = retry(
      handleWhen((error) => error instanceof UpstreamError && error.transient),
      {
        maxAttempts: config.retries,
        backoff: new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined>(
          (context, previous) => {
            const next = (previous ?? exponential).next(context);
            const error = 'error' in context.result ? context.result.error : undefined;
            const asked = error instanceof UpstreamError ? error.retryAfterMs : undefined;
            return { delay: asked ?? next.duration, state: next };
          },
        ),
      },
    );
  }

  /** Requests currently holding a concurrency slot (for metrics and tests). */
  get inFlight(): number {
    return this.config.concurrency - this.limiter.executionSlots;
  }

  /** Seconds until the host's breaker lets a call through again; undefined while it is closed. */
  circuitOpenFor(url: string): number | undefined {
    const breaker = this.breakers.get(new URL(url).host);
    if (!breaker || breaker.state !== CircuitState.Open) {
      return undefined;
    }
    return Math.max(1, Math.ceil(this.config.breakerCooldownMs / 1000));
  }

  /** GETs JSON. Any status is returned except the failures above, which throw UpstreamError. */
  async getJson(url: string, acceptStatuses: number[] = [404]): Promise<UpstreamResponse> {
    const breaker = this.breakerFor(new URL(url).host);
    try {
      return await this.retryPolicy.execute(({ attempt }) =>
        breaker.execute(() =>
          this.limiter.execute(() => this.attempt(url, attempt + 1, acceptStatuses)),
        ),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new UpstreamError('circuit_open', `circuit open for ${new URL(url).host}`);
      }
      throw error;
    }
  }

  private breakerFor(host: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(host);
    if (!breaker) {
      // only failures that say the host is unwell count; a 404 or 400 is a healthy answer
      breaker = circuitBreaker(
        handleWhen((error) => error instanceof UpstreamError && error.transient),
        {
          halfOpenAfter: this.config.breakerCooldownMs,
          breaker: new ConsecutiveBreaker(this.config.breakerThreshold),
        },
      );
      breaker.onStateChange((state) => this.observer.circuitChanged(host, STATE_NAMES[state]));
      this.breakers.set(host, breaker);
    }
    return breaker;
  }

  private async attempt(
    url: string,
    attempt: number,
    acceptStatuses: number[],
  ): Promise<UpstreamResponse> {
    const started = performance.now();
    const log = (status: number | null, outcome: UpstreamOutcome) =>
      this.observer.attempted({
        method: 'GET',
        url,
        host: new URL(url).host,
        status,
        durationMs: Math.round(performance.now() - started),
        attempt,
        outcome,
      });
    const failed = (
      failure: AttemptFailure,
      message: string,
      status?: number,
      retryAfterMs?: number,
    ): UpstreamError => {
      log(status ?? null, ATTEMPT_OUTCOMES[failure]);
      return new UpstreamError(failure, message, status, retryAfterMs);
    };
    let response;
    try {
      response = await this.http.get<unknown>(url, {
        timeout: this.config.timeoutMs,
        // axios' timeout starts at the request; the signal also covers a connect that never completes
        signal: AbortSignal.timeout(this.config.timeoutMs),
        validateStatus: () => true,
        maxContentLength: 5 * 1024 * 1024,
        maxRedirects: 0,
        headers: { accept: 'application/json' },
      });
    } catch (error) {
      const timedOut =
        isAxiosError(error) &&
        (error.code === 'ECONNABORTED' ||
          error.code === 'ETIMEDOUT' ||
          error.code === 'ERR_CANCELED');
      throw timedOut
        ? failed('timeout', `no answer within ${this.config.timeoutMs} ms`)
        : failed(
            'network',
            `cannot reach upstream: ${isAxiosError(error) ? (error.code ?? error.message) : String(error)}`,
          );
    }
    const { status } = response;
    if ((status >= 200 && status < 300) || acceptStatuses.includes(status)) {
      log(status, 'ok');
      return { status, data: response.data };
    }
    if (status === 429) {
      throw failed(
        'rate_limited',
        'upstream answered 429',
        status,
        parseRetryAfter(response.headers['retry-after']),
      );
    }
    throw failed(status >= 500 ? 'server' : 'client', `upstream answered ${status}`, status);
  }
}
