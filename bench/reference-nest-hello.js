'use strict';
// "The framework's ceiling": the smallest NestJS app, on Express (the default) or Fastify
// (HTTP_ADAPTER=fastify), with none of the app's pipes, filters, interceptors, middleware or
// database. Plain JS, so decorators are applied by hand.
// Usage: PORT=3000 [HTTP_ADAPTER=fastify] node bench/reference-nest-hello.js
require('reflect-metadata');
const { Body, Controller, Get, Module, Post } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

class HelloController {
  hello() {
    return { hello: 'world' };
  }

  echo(body) {
    return body;
  }
}

/** What `@Get() hello()` compiles to: a method decorator re-defines the method's descriptor. */
function decorateMethod(target, key, decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  Object.defineProperty(target, key, Reflect.decorate(decorators, target, key, descriptor));
}

decorateMethod(HelloController.prototype, 'hello', [Get()]);
// a parameter decorator is a plain call (TypeScript's __param does the same)
Body()(HelloController.prototype, 'echo', 0);
decorateMethod(HelloController.prototype, 'echo', [Post()]);
Reflect.decorate([Controller('hello')], HelloController);

class HelloModule {}
Reflect.decorate([Module({ controllers: [HelloController] })], HelloModule);

async function main() {
  const fastify = process.env.HTTP_ADAPTER === 'fastify';
  // only warnings and errors
  const options = { logger: ['error', 'warn'] };
  const app = fastify
    ? await NestFactory.create(HelloModule, new FastifyAdapter(), options)
    : await NestFactory.create(HelloModule, options);
  app.enableShutdownHooks();
  // same bind address as the app (all interfaces; Fastify's own default is localhost)
  const port = Number(process.env.PORT) || 3000;
  await (fastify ? app.listen(port, '0.0.0.0') : app.listen(port));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
