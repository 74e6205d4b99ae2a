import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { NatsContext } from '@nestjs/microservices';
import type { IncomingMessage } from 'node:http';
import { Match, MsgHdrs } from 'nats';
import { DomainError, ErrorCode } from '../common/domain-error';
import { securityConfig } from '../config/security.config';
import { ApiKeys, presentedKeys } from './api-keys';
import { REQUIRES_API_KEY } from './security.decorators';

/** Methods that never change anything: open to anyone, with or without API_KEYS. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * With API_KEYS set: every HTTP request other than GET/HEAD/OPTIONS, and every NATS handler marked
 * @RequiresApiKey(), must present one of the keys; otherwise 401 (an RPC error over NATS).
 * WebSocket frames only read (ping, subscribe) and pass.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ApiKeys;

  constructor(
    @Inject(securityConfig.KEY) config: ConfigType<typeof securityConfig>,
    private readonly reflector: Reflector,
  ) {
    this.keys = new ApiKeys(config.apiKeys);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.keys.enabled) {
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

  /** How to read the caller's headers when this call needs a key; undefined when it does not. */
  private headerLookup(
    context: ExecutionContext,
  ): ((name: string) => string | undefined) | undefined {
    const type = context.getType<'http' | 'rpc' | 'ws'>();
    switch (type) {
      case 'http': {
        const req = context.switchToHttp().getRequest<IncomingMessage>();
        if (READ_METHODS.has(req.method ?? 'GET')) {
          return undefined;
        }
        return (name) => {
          const value = req.headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        };
      }
      case 'rpc': {
        const required = this.reflector.get<boolean | undefined>(
          REQUIRES_API_KEY,
          context.getHandler(),
        );
        if (!required) {
          return undefined;
        }
        const rpc = context.switchToRpc().getContext<unknown>();
        const headers =
          rpc instanceof NatsContext ? (rpc.getHeaders() as MsgHdrs | undefined) : undefined;
        return (name) => headers?.get(name, Match.IgnoreCase) || undefined;
      }
      case 'ws':
        return undefined;
    }
  }
}
