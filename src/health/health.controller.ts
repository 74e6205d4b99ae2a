import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult } from '@nestjs/terminus';
import { ReadinessService } from './readiness.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness: the process is up',
    description: 'Always `{"status": "ok"}` while the process answers; checks nothing else.',
  })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: 503 while the database is unreachable; NATS state is reported only',
    description:
      'The database is pinged (2 s timeout): 503 while it fails. NATS is `up` only while ' +
      'connected; while it is not, readiness stays 200 (REST works without NATS).',
  })
  ready(): Promise<HealthCheckResult> {
    return this.readiness.check();
  }
}
