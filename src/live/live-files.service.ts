import { Injectable, OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { ExpressLoader, ServeStaticModuleOptions } from '@nestjs/serve-static';
import { noCache, PUBLIC_DIR, UPLOT_DIR } from './live-files';

/** Express: what @nestjs/serve-static does (express.static underneath). */
const EXPRESS_OPTIONS: ServeStaticModuleOptions[] = [
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
];

/**
 * Serves the page's files on whichever adapter the app runs (decided here, by the adapter itself,
 * not the setting: an app built on an explicit adapter serves too). On Fastify not through
 * serve-static's Fastify loader, which answers unknown files itself, outside the error shape.
 */
@Injectable()
export class LiveFiles implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: ApplicationConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.getType() === 'fastify') {
      // loaded only on Fastify (@fastify/static and its dependencies)
      const { registerFastifyLiveFiles } = await import('./fastify-live-files');
      registerFastifyLiveFiles(adapter.getInstance());
    } else {
      new ExpressLoader().register(adapter, this.config, EXPRESS_OPTIONS);
    }
  }
}
