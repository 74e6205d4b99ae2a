import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { DomainError, ErrorCode } from '../common/domain-error';
import { securityConfig } from '../config/security.config';
import { ApiKeys, presentedKeys } from './api-keys';
import { HeaderLookup, httpHeaders, natsHeaders } from './caller';
import { AddressedRequest, clientAddress, isLoopback } from './client-address';
import { REQUIRES_API_KEY } from './security.decorators';

/** Methods that never change anything: open to anyone, with or without API_KEYS. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const PROTECTED_MODE_MESSAGE =
  'this service runs without API keys, so it accepts writes from loopback only; ' +
  'to accept writes from other addresses set API_KEYS (and send a key), or ALLOW_ANONYMOUS_WRITES=true';

/**
 * With API_KEYS set: every HTTP request other than GET/HEAD/OPTIONS, and every NATS handler marked
 * @RequiresApiKey(), must present one of the keys; otherwise 401 (an RPC error over NATS).
 * Without keys, protected mode: HTTP writes only from loopback, unless ALLOW_ANONYMOUS_WRITES;
 * NATS messages carry no address, so there the NATS server's credentials and permissions decide.
 * WebSocket frames only read (ping, subscribe) and pass.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ApiKeys;
  private readonly allowAnonymousWrites: boolean;

  constructor(
    @Inject(securityConfig.KEY) config: ConfigType<typeof securityConfig>,
    private readonly reflector: Reflector,
  ) {
    this.keys = new ApiKeys(config.apiKeys);
    this.allowAnonymousWrites = config.allowAnonymousWrites;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.enabled) {
      this.protectedMode(context);
      return true;
    }
    const header = this.headerLookup(context);
    if (header === undefined) {
      return true;
    }
    const presented = presentedKeys(header);
    if (presented.length === 0) {
      throw new DomainError(
        ErrorCode.Unauthorized,
        'an API key is required: send X-API-Key: <key> or Authorization: Bearer <key>',
      );
    }
    if (!presented.some((key) => this.keys.matches(key))) {
      throw new DomainError(ErrorCode.Unauthorized, 'the API key is not valid');
    }
    return true;
  }

  /** Without keys, an HTTP write from anywhere but loopback is refused (Redis's protected mode). */
  private protectedMode(context: ExecutionContext): void {
    if (this.allowAnonymousWrites || context.getType() !== 'http') {
      return;
    }
    const req = context.switchToHttp().getRequest<IncomingMessage & AddressedRequest>();
    if (READ_METHODS.has(req.method ?? 'GET') || isLoopback(clientAddress(req))) {
      return;
    }
    throw new DomainError(ErrorCode.Unauthorized, PROTECTED_MODE_MESSAGE);
  }

  /** How to read the caller's headers when this call needs a key; undefined when it does not. */
  private headerLookup(context: ExecutionContext): HeaderLookup | undefined {
    const type = context.getType<'http' | 'rpc' | 'ws'>();
    switch (type) {
      case 'http': {
        const req = context.switchToHttp().getRequest<IncomingMessage>();
        return READ_METHODS.has(req.method ?? 'GET') ? undefined : httpHeaders(req);
      }
      case 'rpc': {
        const required = this.reflector.get<boolean | undefined>(
          REQUIRES_API_KEY,
          context.getHandler(),
        );
        return required ? natsHeaders(context) : undefined;
      }
      case 'ws':
        return undefined;
    }
  }
}
