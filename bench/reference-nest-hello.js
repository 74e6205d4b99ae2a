'use strict';
// "The framework's ceiling": the smallest NestJS + Express app, with none of the app's pipes,
// filters, interceptors, middleware or database. Plain JS, so decorators are applied by hand.
// Usage: PORT=3000 node bench/reference-nest-hello.js
require('reflect-metadata');
const { Body, Controller, Get, Module, Post } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');

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
  // only warnings and errors, like the app under LOG_LEVEL=warn
  const app = await NestFactory.create(HelloModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  // same bind address as the app (all interfaces)
  await app.listen(Number(process.env.PORT) || 3000);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
