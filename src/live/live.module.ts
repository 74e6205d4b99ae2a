import { Module } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';

/**
 * The page's own files: beside this module once `nest build` has copied them (nest-cli.json
 * assets), else in the sources (ts-node, the e2e tests, a plain `tsc` build).
 */
const PUBLIC_DIR =
  [join(__dirname, 'public'), join(__dirname, '..', '..', '..', 'src', 'live', 'public')].find(
    (dir) => existsSync(join(dir, 'index.html')),
  ) ?? join(__dirname, 'public');

/** The charting library, served from node_modules: the page loads nothing from a CDN. */
const UPLOT_DIR = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

/** The page changes with the service: a browser asks again each time. */
const noCache = (res: ServerResponse) => res.setHeader('Cache-Control', 'no-cache');

/**
 * `/live`: a page that shows the event stream and a live chart of the rates (plain HTML, JS and
 * CSS). Unknown files fall through to the app's 404; the security headers of configureApp apply.
 */
@Module({
  imports: [
    ServeStaticModule.forRoot(
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
    ),
  ],
})
export class LiveModule {}
