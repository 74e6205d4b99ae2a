import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { NatsContext } from '@nestjs/microservices';
import { headers as natsHeaders } from 'nats';
import { DomainError, ErrorCode } from '../common/domain-error';
import { ApiKeyGuard } from './api-key.guard';
import { RequiresApiKey } from './security.decorators';

class Handlers {
  @RequiresApiKey()
  write(): void {}

  read(): void {}
}

const config = (apiKeys: string[]) => ({
  apiKeys,
  corsOrigins: [] as string[],
  rateLimit: { limit: 0, windowMs: 1000 },
});

function httpContext(method: string, headers: Record<string, string> = {}): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Handlers.prototype.read,
    switchToHttp: () => ({ getRequest: () => ({ method, headers }) }),
  } as unknown as ExecutionContext;
}

function rpcContext(handler: () => void, headers?: Record<string, string>): ExecutionContext {
  const h = headers ? natsHeaders() : undefined;
  for (const [name, value] of Object.entries(headers ?? {})) {
    h?.set(name, value);
  }
  return {
    getType: () => 'rpc',
    getHandler: () => handler,
    switchToRpc: () => ({ getContext: () => new NatsContext(['subject', h]) }),
  } as unknown as ExecutionContext;
}

const rejection = (run: () => unknown): DomainError => {
  try {
    run();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected the guard to refuse');
};

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(config(['k1', 'k2']), new Reflector());

  it('lets everything through when API_KEYS is empty', () => {
    const open = new ApiKeyGuard(config([]), new Reflector());
    expect(open.canActivate(httpContext('DELETE'))).toBe(true);
    expect(open.canActivate(rpcContext(Handlers.prototype.write))).toBe(true);
  });

  it('HTTP: reads pass without a key, writes need one of the keys', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(guard.canActivate(httpContext(method))).toBe(true);
    }
    expect(guard.canActivate(httpContext('POST', { 'x-api-key': 'k2' }))).toBe(true);
    expect(guard.canActivate(httpContext('PATCH', { authorization: 'Bearer k1' }))).toBe(true);
    const missing = rejection(() => guard.canActivate(httpContext('POST')));
    expect(missing).toBeInstanceOf(DomainError);
    expect(missing.code).toBe(ErrorCode.Unauthorized);
    expect(missing.message).toMatch(/X-API-Key/);
    const wrong = rejection(() => guard.canActivate(httpContext('PUT', { 'x-api-key': 'k3' })));
    expect(wrong.code).toBe(ErrorCode.Unauthorized);
    expect(wrong.message).toBe('the API key is not valid');
  });

  it('NATS: only handlers marked @RequiresApiKey() need a key, read from the message headers', () => {
    expect(guard.canActivate(rpcContext(Handlers.prototype.read))).toBe(true);
    expect(rejection(() => guard.canActivate(rpcContext(Handlers.prototype.write))).code).toBe(
      ErrorCode.Unauthorized,
    );
    expect(
      rejection(() =>
        guard.canActivate(rpcContext(Handlers.prototype.write, { 'x-api-key': 'no' })),
      ).message,
    ).toBe('the API key is not valid');
    expect(guard.canActivate(rpcContext(Handlers.prototype.write, { 'X-API-Key': 'k1' }))).toBe(
      true,
    );
    expect(
      guard.canActivate(rpcContext(Handlers.prototype.write, { Authorization: 'Bearer k2' })),
    ).toBe(true);
  });

  it('WebSocket frames pass', () => {
    const ws = { getType: () => 'ws' } as unknown as ExecutionContext;
    expect(guard.canActivate(ws)).toBe(true);
  });
});
