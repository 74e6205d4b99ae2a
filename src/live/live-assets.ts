import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../common/domain-error';

export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The page's own files: next to this module once `nest build` has copied them (nest-cli.json
 * assets), else in the sources (ts-node, the e2e tests, a plain `tsc` build).
 */
const PUBLIC_DIR = [
  join(__dirname, 'public'),
  join(__dirname, '..', '..', '..', 'src', 'live', 'public'),
].find((dir) => existsSync(join(dir, 'index.html')));

const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'live.js': 'text/javascript; charset=utf-8',
  'live.css': 'text/css; charset=utf-8',
};

/** The charting library, served from node_modules: the page loads nothing from a CDN. */
const VENDOR_FILES: Record<string, { path: string; type: string }> = {
  'uPlot.iife.min.js': {
    path: require.resolve('uplot/dist/uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.min.css': {
    path: require.resolve('uplot/dist/uPlot.min.css'),
    type: 'text/css; charset=utf-8',
  },
};

/** Reads each file once and keeps it: a few tens of kilobytes in all. */
@Injectable()
export class LiveAssets {
  private readonly cache = new Map<string, Promise<Buffer>>();

  page(name: string): Promise<Asset> {
    const type = Object.hasOwn(PAGE_FILES, name) ? PAGE_FILES[name] : undefined;
    if (type === undefined || PUBLIC_DIR === undefined) {
      throw DomainError.notFound('file', name);
    }
    return this.read(join(PUBLIC_DIR, name), type);
  }

  vendor(name: string): Promise<Asset> {
    const file = Object.hasOwn(VENDOR_FILES, name) ? VENDOR_FILES[name] : undefined;
    if (file === undefined) {
      throw DomainError.notFound('file', name);
    }
    return this.read(file.path, file.type);
  }

  private async read(path: string, type: string): Promise<Asset> {
    let body = this.cache.get(path);
    if (!body) {
      body = readFile(path);
      this.cache.set(path, body);
      body.catch(() => this.cache.delete(path));
    }
    return { body: await body, type };
  }
}
