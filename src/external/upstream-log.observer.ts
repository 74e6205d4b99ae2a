import { Injectable, Logger } from '@nestjs/common';
import { CircuitStateName, UpstreamAttempt, UpstreamObserver } from './upstream-http';

/** One structured line per attempt: info when it succeeded, warn when it failed. */
@Injectable()
export class UpstreamLogObserver extends UpstreamObserver {
  private readonly logger = new Logger('Upstream');

  attempted(attempt: UpstreamAttempt): void {
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
    this.logger.warn({ msg: 'circuit breaker state', host, state });
  }
}
