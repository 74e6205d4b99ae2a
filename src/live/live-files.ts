import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ServerResponse } from 'node:http';

/**
 * The page's own files: beside this module once `nest build` has copied them (nest-cli.json
 * assets), else in the sources (ts-node, the e2e tests, a plain `tsc` build).
 */
export const PUBLIC_DIR =
  [join(__dirname, 'public'), join(__dirname, '..', '..', '..', 'src', 'live', 'public')].find(
    (dir) => existsSync(join(dir, 'index.html')),
  ) ?? join(__dirname, 'public');

/** The charting library, served from node_modules: the page loads nothing from a CDN. */
export const UPLOT_DIR = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));

/** The page changes with the service: a browser asks again each time. */
export const noCache = (res: ServerResponse) => res.setHeader('Cache-Control', 'no-cache');
