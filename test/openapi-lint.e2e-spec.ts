import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintOpenApiFile, LintResult } from '../scripts/openapi-linters';
import { startTestApp, TestApp } from './helpers/test-app';

/** Parsed JSON, read field by field as supertest bodies are. */
type Doc = ReturnType<typeof JSON.parse>;
const METHODS = ['get', 'head', 'options', 'post', 'put', 'patch', 'delete'];
/** Each linter is a Node process of its own: on a loaded machine both take a while. */
const LINT_TIMEOUT_MS = 180_000;

function operations(doc: Doc): { where: string; operation: Doc }[] {
  return Object.entries(doc.paths as Record<string, Doc>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      where: `${method.toUpperCase()} ${path}`,
      operation: item[method],
    })),
  );
}

/** The failing linters with their output, so a regression names the rule and the place. */
function failures(results: LintResult[]): LintResult[] {
  return results.filter((result) => !result.passed);
}

describe('the OpenAPI document at /docs-json', () => {
  let t: TestApp;
  let doc: Doc;
  let dir: string;

  const lint = (document: Doc): LintResult[] => {
    const file = join(dir, `openapi-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(document));
    return lintOpenApiFile(file);
  };

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/docs-json').expect(200)).body;
    dir = mkdtempSync(join(tmpdir(), 'catalog-rates-openapi-e2e-'));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });

  it(
    'passes Redocly (recommended, warnings as errors) and Spectral (spectral:oas, fail on warn)',
    () => {
      expect(failures(lint(doc))).toEqual([]);
    },
    LINT_TIMEOUT_MS,
  );

  it('declares security on every operation: none on reads, a key on writes', () => {
    for (const { where, operation } of operations(doc)) {
      const expected = where.startsWith('GET ') ? [] : [{ 'api-key': [] }, { bearer: [] }];
      expect({ where, security: operation.security }).toEqual({ where, security: expected });
    }
  });

  it('declares every tag it uses, with a description, and a server', () => {
    const declared = new Map((doc.tags as Doc[]).map((tag) => [tag.name, tag.description]));
    const used = new Set(operations(doc).flatMap(({ operation }) => operation.tags as string[]));
    for (const tag of used) {
      expect({ tag, description: declared.get(tag) }).toEqual({
        tag,
        description: expect.any(String),
      });
    }
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('gives every operation a description and a 4xx answer in the error shape; writes 401, 413, 415', () => {
    for (const { where, operation } of operations(doc)) {
      expect({ where, description: typeof operation.description }).toEqual({
        where,
        description: 'string',
      });
      const clientErrors = Object.keys(operation.responses).filter((status) =>
        status.startsWith('4'),
      );
      expect({ where, clientErrors: clientErrors.length > 0 }).toEqual({
        where,
        clientErrors: true,
      });
      if (!where.startsWith('GET ')) {
        expect({ where, statuses: Object.keys(operation.responses) }).toEqual({
          where,
          statuses: expect.arrayContaining(['401', '413', '415']),
        });
      }
    }
  });

  it('keeps the event payload schemas, referred to by the envelope, and no unused schema', () => {
    const payload = doc.components.schemas.EventEnvelopeDto.properties.payload;
    expect(payload.anyOf).toEqual(
      expect.arrayContaining([
        { $ref: '#/components/schemas/ProductDto' },
        { $ref: '#/components/schemas/ItemDto' },
        { $ref: '#/components/schemas/RatesSyncedDto' },
        { $ref: '#/components/schemas/JobEventDto' },
      ]),
    );
    const text = JSON.stringify({ paths: doc.paths, schemas: doc.components.schemas });
    for (const name of Object.keys(doc.components.schemas)) {
      expect({ name, referred: text.includes(`"#/components/schemas/${name}"`) }).toEqual({
        name,
        referred: true,
      });
    }
  });

  it(
    'fails both linters when an open operation loses its security and servers are empty',
    () => {
      const broken = structuredClone(doc);
      broken.servers = [];
      delete broken.paths['/health'].get.security;
      delete broken.paths['/health'].get.description;
      const results = failures(lint(broken));
      expect(results.map((result) => result.linter)).toEqual(['redocly', 'spectral']);
      expect(results[0].output).toMatch(/security-defined/);
      expect(results[0].output).toMatch(/no-empty-servers/);
      expect(results[1].output).toMatch(/oas3-api-servers/);
      expect(results[1].output).toMatch(/operation-description/);
    },
    LINT_TIMEOUT_MS,
  );
});
