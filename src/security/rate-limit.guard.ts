import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AddressedRequest, clientAddress } from './client-address';
import { RATE_LIMITED } from './security.decorators';

/**
 * @nestjs/throttler on the routes marked @RateLimited() only (HTTP), answering 429 through the
 * global filter in the standard error shape with Retry-After. Counts per client address (TRUST_PROXY
 * applied) and route, in this instance's memory.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override getTracker(req: AddressedRequest): Promise<string> {
    return Promise.resolve(clientAddress(req));
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(
      context.getType() !== 'http' ||
        this.reflector.get<boolean | undefined>(RATE_LIMITED, context.getHandler()) !== true,
    );
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    throw new DomainError(
      ErrorCode.RateLimited,
      `rate limit reached: at most ${detail.limit} calls per ${detail.ttl / 1000} s to this endpoint; retry in ${retryAfter} s`,
      undefined,
      retryAfter,
    );
  }
}
