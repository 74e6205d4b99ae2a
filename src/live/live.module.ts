import { DynamicModule, Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { validatedEnv } from '../config/validated-env';
import { FastifyLiveFiles } from './fastify-live-files';
import { noCache, PUBLIC_DIR, UPLOT_DIR } from './live-files';

/** Express: through @nestjs/serve-static (express.static underneath). */
const expressStatic = ServeStaticModule.forRoot(
  {
    rootPath: UPLOT_DIR,
    serveRoot: '/live/vendor',
    // no index page here: what express.static does not find falls through to the app's 404
    exclude: ['/live/vendor/{*path}'],
    serveStaticOptions: { index: false, redirect: false, maxAge: '1d' },
  },
  {
    rootPath: PUBLIC_DIR,
    serveRoot: '/live',
    // `/live` itself (and `/live/`) answer with index.html
    renderPath: '/',
    serveStaticOptions: {
      index: false,
      redirect: false,
      cacheControl: false,
      setHeaders: noCache,
    },
  },
);

/**
 * `/live`: a page that shows the event stream and a live chart of the rates (plain HTML, JS and
 * CSS). Unknown files fall through to the app's 404; the security headers of configureApp apply.
 */
@Module({})
export class LiveModule {
  static register(): DynamicModule {
    // serve-static's Fastify loader answers unknown files itself, outside the error shape
    return validatedEnv().HTTP_ADAPTER === 'fastify'
      ? { module: LiveModule, providers: [FastifyLiveFiles] }
      : { module: LiveModule, imports: [expressStatic] };
  }
}
