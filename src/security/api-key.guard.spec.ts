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

const config = (apiKeys: string[], allowAnonymousWrites = false) => ({
  apiKeys,
  allowAnonymousWrites,
  trustProxy: undefined,
  corsOrigins: [] as string[],
  rateLimit: { limit: 0, externalIds: 0, windowMs: 1000 },
});

function httpContext(
  method: string,
  headers: Record<string, string> = {},
  ip = '127.0.0.1',
): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => Handlers.prototype.read,
    switchToHttp: () => ({ getRequest: () => ({ method, headers, ip }) }),
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

  it('without API_KEYS (protected mode): writes from loopback and every NATS call pass', () => {
    const open = new ApiKeyGuard(config([]), new Reflector());
    for (const ip of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) {
      expect(open.canActivate(httpContext('DELETE', {}, ip))).toBe(true);
    }
    expect(open.canActivate(rpcContext(Handlers.prototype.write))).toBe(true);
  });

  it('without API_KEYS: a write from another address is 401 saying how to open writes', () => {
    const open = new ApiKeyGuard(config([]), new Reflector());
    for (const ip of ['203.0.113.7', '10.200.0.2', '::ffff:10.0.0.1', '2001:db8::1', '', 'junk']) {
      const refused = rejection(() => open.canActivate(httpContext('POST', {}, ip)));
      expect(refused.code).toBe(ErrorCode.Unauthorized);
      expect(refused.message).toMatch(/without API keys.*API_KEYS.*ALLOW_ANONYMOUS_WRITES=true/);
    }
    for (const method of ['GET', 'HEAD', 'OPTIONS']) {
      expect(open.canActivate(httpContext(method, {}, '203.0.113.7'))).toBe(true);
    }
  });

  it('without API_KEYS and ALLOW_ANONYMOUS_WRITES=true: writes from anywhere pass', () => {
    const anonymous = new ApiKeyGuard(config([], true), new Reflector());
    expect(anonymous.canActivate(httpContext('PATCH', {}, '203.0.113.7'))).toBe(true);
  });

  it('with API_KEYS: the key decides, not the address', () => {
    expect(guard.canActivate(httpContext('POST', { 'x-api-key': 'k1' }, '203.0.113.7'))).toBe(true);
    expect(rejection(() => guard.canActivate(httpContext('POST', {}, '127.0.0.1'))).code).toBe(
      ErrorCode.Unauthorized,
    );
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
