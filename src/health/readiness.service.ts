import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { NatsHealthIndicator } from './nats.health';

/**
 * Readiness: 503 while the database is unreachable, and only then. NATS is reported beside it,
 * under `info` whether up or down (Terminus would turn a `down` check into a 503).
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  async check(): Promise<HealthCheckResult> {
    const nats = this.nats.check();
    try {
      return withInfo(
        await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]),
        nats,
      );
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        throw new ServiceUnavailableException(
          withInfo(error.getResponse() as HealthCheckResult, nats),
        );
      }
      throw error;
    }
  }
}

function withInfo(
  result: HealthCheckResult,
  extra: HealthCheckResult['details'],
): HealthCheckResult {
  return {
    ...result,
    info: { ...result.info, ...extra },
    details: { ...result.details, ...extra },
  };
}
