import { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';

type ExpressApp = ((req: IncomingMessage, res: ServerResponse) => void) & {
  request: object;
  response: object;
};

/**
 * Nest's Express adapter, with the HTTP server creating each request and response on the
 * prototypes Express would switch them to (`Object.setPrototypeOf` in `app.handle`): a switched
 * object keeps the whole request alive through young-generation collections, and those pauses
 * are what requests wait for under load. The measurements are in docs/performance.md.
 */
export class PrototypedExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options?.httpsOptions) {
      super.initHttpServer(options);
      return;
    }
    // Express's prototypes for requests and responses (its app.request and app.response)
    const app = this.getInstance<ExpressApp>();
    // plain functions (Node's own are too), so `new` builds the object on the given prototype
    function AppRequest(this: IncomingMessage, ...args: unknown[]): void {
      Reflect.apply(IncomingMessage, this, args);
    }
    AppRequest.prototype = app.request;
    function AppResponse(this: ServerResponse, ...args: unknown[]): void {
      Reflect.apply(ServerResponse, this, args);
    }
    AppResponse.prototype = app.response;
    this.httpServer = createServer(
      {
        IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
        ServerResponse: AppResponse as unknown as typeof ServerResponse,
      },
      app,
    );
    if (options?.forceCloseConnections) {
      // what ExpressAdapter.initHttpServer does too (private there)
      (this as unknown as { trackOpenConnections(): void }).trackOpenConnections();
    }
  }
}
