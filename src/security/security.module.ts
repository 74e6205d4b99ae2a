import { Global, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { securityConfig } from '../config/security.config';
import { ApiKeyGuard } from './api-key.guard';
import { ExternalIdBudget } from './external-id-budget';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * API keys (or protected mode) on writes and rate limits on the expensive endpoints, as global
 * guards: the key is checked first, so calls without a valid key never use up anyone's budget.
 * Exports the fetch_external id budget, which only its handlers can count (ids, not calls); global,
 * so the modules with those handlers need not import the guards' module.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [securityConfig.KEY],
      useFactory: ({ rateLimit }: ConfigType<typeof securityConfig>) => ({
        throttlers: [{ limit: rateLimit.limit, ttl: rateLimit.windowMs }],
        skipIf: () => rateLimit.limit === 0,
      }),
    }),
  ],
  providers: [
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    ExternalIdBudget,
  ],
  exports: [ExternalIdBudget],
})
export class SecurityModule implements OnModuleInit {
  private readonly logger = new Logger('Security');

  constructor(
    @Inject(securityConfig.KEY) private readonly config: ConfigType<typeof securityConfig>,
  ) {}

  /** An operator must see at startup when anyone who reaches the port can write. */
  onModuleInit(): void {
    if (this.config.apiKeys.length > 0) {
      return;
    }
    if (this.config.allowAnonymousWrites) {
      this.logger.warn(
        'ALLOW_ANONYMOUS_WRITES=true and no API_KEYS: anyone who can reach this port can write',
      );
    } else {
      this.logger.log('no API_KEYS: protected mode, REST writes are accepted from loopback only');
    }
  }
}
