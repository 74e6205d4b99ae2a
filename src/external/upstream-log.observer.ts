import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service';
import { CircuitStateName, UpstreamAttempt, UpstreamObserver } from './upstream-http';

/**
 * One structured line per attempt (info when it succeeded, warn when it failed), counted and
 * timed in upstream_requests_total / upstream_request_duration_seconds; breaker states go to
 * upstream_circuit_state.
 */
@Injectable()
export class UpstreamLogObserver extends UpstreamObserver {
  private readonly logger = new Logger('Upstream');

  constructor(private readonly metrics: MetricsService) {
    super();
  }

  attempted(attempt: UpstreamAttempt): void {
    this.metrics.upstreamAttempt(attempt.host, attempt.outcome, attempt.durationMs);
    const line = {
      msg: 'upstream call',
      method: attempt.method,
      url: attempt.url,
      status: attempt.status,
      duration_ms: attempt.durationMs,
      attempt: attempt.attempt,
      outcome: attempt.outcome,
    };
    if (attempt.outcome === 'ok') {
      this.logger.log(line);
    } else {
      this.logger.warn(line);
    }
  }

  circuitChanged(host: string, state: CircuitStateName): void {
    this.metrics.upstreamCircuit(host, state);
    this.logger.warn({ msg: 'circuit breaker state', host, state });
  }
}
