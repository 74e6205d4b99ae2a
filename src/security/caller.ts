import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { NatsContext } from '@nestjs/microservices';
import type { IncomingMessage } from 'node:http';
import { Match, MsgHdrs } from 'nats';
import { presentedKeys } from './api-keys';
import { AddressedRequest, clientAddress } from './client-address';

export type HeaderLookup = (name: string) => string | undefined;

/** Who made a call, as far as the transport tells: the keys it presented, and its address. */
export interface Caller {
  transport: 'http' | 'nats';
  /** The client address over HTTP (TRUST_PROXY applied); NATS messages carry none. */
  address?: string;
  keys: string[];
}

type HttpRequest = IncomingMessage & AddressedRequest;

/** A case-insensitive lookup of an HTTP request's headers. */
export function httpHeaders(req: IncomingMessage): HeaderLookup {
  return (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}

/** A case-insensitive lookup of a NATS message's headers (none when the context is not NATS). */
export function natsHeaders(context: ExecutionContext): HeaderLookup {
  const rpc = context.switchToRpc().getContext<unknown>();
  const headers =
    rpc instanceof NatsContext ? (rpc.getHeaders() as MsgHdrs | undefined) : undefined;
  return (name) => headers?.get(name, Match.IgnoreCase) || undefined;
}

export function callerOf(context: ExecutionContext): Caller {
  if (context.getType() === 'rpc') {
    return { transport: 'nats', keys: presentedKeys(natsHeaders(context)) };
  }
  const req = context.switchToHttp().getRequest<HttpRequest>();
  return { transport: 'http', address: clientAddress(req), keys: presentedKeys(httpHeaders(req)) };
}

/** The handler's caller (HTTP or NATS), for limits that count per client. */
export const CallerOf = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  callerOf(context),
);
