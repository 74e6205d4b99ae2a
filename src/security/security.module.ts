import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { securityConfig } from '../config/security.config';
import { ApiKeyGuard } from './api-key.guard';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * API keys on writes (REST and NATS) and rate limits on the expensive endpoints, as global guards:
 * the key is checked first, so calls without a valid key never use up anyone's budget.
 */
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
  ],
})
export class SecurityModule {}
