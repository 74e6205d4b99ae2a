import { Agent, request as httpRequest } from 'node:http';
import type { Response } from 'supertest';
import { FakeUpstream, startFakeUpstream } from './fake-upstream/fake-upstream';
import { expectErrorShape } from './helpers/error-shape';
import { pollUntil } from './helpers/poll';
import { nestedJson, prng } from './helpers/prng';
import { startTestApp, TestApp } from './helpers/test-app';

/**
 * Fuzz: a deterministic stream of bad requests across every endpoint. Each must get a 4xx in the
 * error shape — never a 5xx, never a 2xx — and none may change the data or reach the upstream.
 * FUZZ_SEED picks another stream; a failure lists the labels of the cases that broke.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const GENERATED = 400;

interface Case {
  label: string;
  method: string;
  path: string;
  /** A string or bytes is sent as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

interface Seeded {
  productId: number;
  /** Another product, whose external_id (42) a write may try to take. */
  otherProductId: number;
  itemId: number;
  jobId: string;
}

const JSON_TYPE = 'application/json';
const MISSING = Symbol('missing');
const raw = (text: string) => ({ raw: text });
type Raw = ReturnType<typeof raw>;
const isRaw = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && 'raw' in value;

const HUGE = 'x'.repeat(10_000);
const enc = encodeURIComponent;

// values no field accepts as they are (wrong types, or strings any pattern here refuses)
const WRONG_TYPES: unknown[] = [null, true, false, [], {}, [1], { a: 1 }, { $gt: '' }];
const BAD_STRINGS: unknown[] = [
  '',
  ' ',
  HUGE,
  'x'.repeat(256),
  '🚀'.repeat(200),
  'é'.repeat(300),
  'a\u0000b',
  '\u0000',
  '../admin',
  '1?x=2',
  '%2F',
  'a/b',
];
const BAD_NUMBERS: unknown[] = [
  -1,
  -0.01,
  -1e308,
  raw('1e309'),
  raw('-1e309'),
  raw('NaN'),
  raw('Infinity'),
  '1',
  '0',
  '1e3',
];

/** Per field of each body, values that field must refuse. */
const BAD_FIELDS: Record<string, unknown[]> = {
  name: [
    ...WRONG_TYPES,
    0,
    1,
    -1,
    '',
    'x'.repeat(256),
    HUGE,
    '🚀'.repeat(256),
    'é'.repeat(256),
    ['a'],
    'a\u0000b',
    'tab\tname',
    'bell\u0007',
  ],
  description: [
    ...WRONG_TYPES,
    1,
    'd'.repeat(5001),
    '🚀'.repeat(5001),
    'nul\u0000here',
    'esc\u001b[31m',
  ],
  price: [...WRONG_TYPES, ...BAD_NUMBERS, ''],
  external_id: [
    ...BAD_STRINGS,
    1.5,
    0.1,
    raw('9007199254740993'),
    raw('1e309'),
    true,
    [],
    {},
    [1],
    'x'.repeat(65),
    '🚀',
    'é',
    'a b',
  ],
  code: [...WRONG_TYPES, ...BAD_STRINGS, 'usd', 'U', 'X'.repeat(11), 'ÜSD', 'US D', 1, 12],
  base: [...WRONG_TYPES, ...BAD_STRINGS, 'eur', 'E', 'Y'.repeat(11), 'EU-R', 1],
  rate: [...WRONG_TYPES, ...BAD_NUMBERS, 0, -0, '', raw('-0')],
  source: [null, 1, true, 'bogus', 'MANUAL', '', [], {}, 'manual\u0000'],
};

const FETCH_BAD_IDS: unknown[] = [
  0,
  -1,
  1.5,
  -0.5,
  raw('9007199254740993'),
  raw('1e309'),
  '',
  ' ',
  '../admin',
  '1?x=2',
  '%2F',
  'a/b',
  '1 ',
  'x'.repeat(65),
  '🚀',
  'é',
  'a\u0000',
  null,
  true,
  {},
  [1],
  HUGE,
];

const BAD_LIMITS = [
  '0',
  '1001',
  '-1',
  '1e309',
  'NaN',
  '  1',
  '1.5',
  'abc',
  '',
  '0x10',
  '1e2',
  '+5',
];
const BAD_OFFSETS = ['-1', '1e309', 'NaN', '1.5', '', ' 1', 'abc', '9'.repeat(30), '0x1'];
const BAD_SINCE = ['yesterday', '', '0', '1', 'NaN', '2026-13-01', '2026-01-32T00:00:00Z', 'Z'];
const BAD_IDS = [
  '0',
  '-1',
  '1.5',
  '1e3',
  '0x10',
  '%201',
  '1%00',
  '%00',
  '2147483648',
  '9'.repeat(11),
  '1'.repeat(300),
  'NaN',
  'Infinity',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  enc("1' OR '1'='1"),
  '1%3BDROP%20TABLE%20products',
  enc('１'), // fullwidth digit one
  enc('١'), // Arabic-Indic digit one
  enc('🚀'),
  '%2e%2e%2fitems',
  '..%2Fitems',
  '1%2F2',
  '%',
  '%zz',
  '%E0%A4%A',
  'abc',
  '%20',
];
const BAD_UUIDS = [
  'abc',
  '1',
  '00000000000000000000000000000000',
  '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-0000-0000-0000000000000',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  'x'.repeat(500),
  enc('ｕｕｉｄ'),
  '%zz',
];

const BAD_JSON_TEXTS = [
  '{',
  '{"name":',
  "{'name':'a'}",
  '{"name":"a",}',
  '{"a":1}}',
  '[1,]',
  'nul',
  'null',
  '"a"',
  '42',
  'true',
  '\u0000',
  '{"name":"a" "price":1}',
  '{"name":"\\u00"}',
  '\ufeff{"name":"a"}',
];

const CONTENT_TYPE_TRICKS: [string, string][] = [
  ['text/plain', '{"name":"a","price":1}'],
  ['application/x-www-form-urlencoded', 'name=a&price=1'],
  ['application/xml', '<product><name>a</name><price>1</price></product>'],
  [
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\na\r\n--x--',
  ],
  ['application/json; charset=utf-16', '{"name":"a","price":1}'],
  ['application/octet-stream', '\u0000\u0001\u0002'],
  ['', '{"name":"a","price":1}'],
  ['application/jsonx', '{"name":"a","price":1}'],
  ['text/json; charset=latin1', '{"name":"a","price":1}'],
];

function seededCases(random: () => number, s: Seeded): Case[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const { productId: p, itemId: i } = s;
  const validProduct = () => ({ name: 'fuzz', price: 1, description: 'd', external_id: 'fz1' });
  const validItem = () => ({ code: 'QQQ', base: 'ZZZ', rate: 1.5, source: 'manual' });

  /** A valid body with exactly one field made bad (or removed when required). */
  const mutate = (body: Record<string, unknown>, fields: string[], required: string[]) => {
    const field = pick(fields);
    const value = pick([...BAD_FIELDS[field], ...(required.includes(field) ? [MISSING] : [])]);
    const copy: Record<string, unknown> = { ...body };
    if (value === MISSING) {
      delete copy[field];
    } else {
      copy[field] = value;
    }
    return { field, value, body: copy };
  };
  const PRODUCT_FIELDS = ['name', 'description', 'price', 'external_id'];
  /** `route` names the endpoint in the label, `path` is where the case goes. */
  const bodyCase = (
    method: string,
    route: string,
    path: string,
    valid: object,
    fields: string[],
    required: string[],
  ): Case => {
    const m = mutate({ ...valid }, fields, required);
    return { label: `${method} ${route} ${m.field}=${show(m.value)}`, method, path, body: m.body };
  };
  /** A PATCH of one bad field alone. */
  const patchCase = (route: string, path: string, fields: string[]): Case => {
    const field = pick(fields);
    const value = pick(BAD_FIELDS[field]);
    return {
      label: `PATCH ${route} ${field}=${show(value)}`,
      method: 'PATCH',
      path,
      body: { [field]: value },
    };
  };

  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);

  // --- hand-picked cases for each endpoint and kind of trouble --------------------------------
  for (const path of ['/products', '/items', '/products/fetch_external']) {
    for (const text of BAD_JSON_TEXTS) {
      add({
        label: `bad JSON ${JSON.stringify(text)} to POST ${path}`,
        method: 'POST',
        path,
        body: text,
      });
    }
    for (const [type, text] of CONTENT_TYPE_TRICKS) {
      add({
        label: `content type "${type}" to POST ${path}`,
        method: 'POST',
        path,
        body: text,
        contentType: type,
      });
    }
    add({
      label: `2 MB body to POST ${path}`,
      method: 'POST',
      path,
      body: { name: 'a', price: 1, description: 'x'.repeat(2 * 1024 * 1024) },
    });
    add({
      label: `gzip-labelled junk to POST ${path}`,
      method: 'POST',
      path,
      body: 'not gzip at all',
      headers: { 'Content-Encoding': 'gzip' },
    });
    add({
      label: `unknown content encoding to POST ${path}`,
      method: 'POST',
      path,
      body: '{}',
      headers: { 'Content-Encoding': 'rot13' },
    });
    add({
      label: `invalid UTF-8 bytes to POST ${path}`,
      method: 'POST',
      path,
      body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
  }
  for (const path of [`/products/${p}`, `/items/${i}`]) {
    for (const method of path.startsWith('/products') ? ['PUT', 'PATCH'] : ['PATCH']) {
      for (const text of ['{', 'null', '[]', '"x"', '{"price":1,}']) {
        add({ label: `bad JSON ${text} to ${method} ${path}`, method, path, body: text });
      }
      add({
        label: `form body to ${method} ${path}`,
        method,
        path,
        body: 'price=1',
        contentType: 'application/x-www-form-urlencoded',
      });
      add({
        label: `unknown field to ${method} ${path}`,
        method,
        path,
        body: { unknown_field: 1 },
      });
    }
  }

  // prototype pollution and duplicate keys (JSON.parse keeps the last: make the last one bad)
  for (const [path, body] of [
    ['/products', '{"name":"a","price":1,"__proto__":{"admin":true}}'],
    ['/products', '{"name":"a","price":1,"constructor":{"prototype":{"admin":true}}}'],
    ['/products', '{"__proto__":null,"name":"a","price":1}'],
    ['/products', '{"name":"a","price":1,"price":-1}'],
    ['/products', '{"name":"a","name":"","price":1}'],
    ['/items', '{"code":"QQQ","base":"ZZZ","rate":1,"rate":0}'],
    ['/items', '{"code":"QQQ","base":"ZZZ","rate":1,"__proto__":{"x":1}}'],
    ['/products/fetch_external', '{"external_ids":[1],"external_ids":["../x"]}'],
    ['/products/fetch_external', '{"external_ids":[1],"__proto__":{"x":1}}'],
    ['/products/fetch_external', '{"constructor":{"prototype":{}}}'],
  ] as const) {
    add({ label: `keys trick ${body} to POST ${path}`, method: 'POST', path, body });
  }

  // fetch_external: shapes, sizes and ids that must never reach the upstream
  for (const body of [
    { external_ids: [] },
    [],
    { external_ids: 'x' },
    { external_ids: {} },
    { external_ids: null },
    { external_ids: 1 },
    { external_ids: [1], extra: 1 },
    { ids: [1] },
    { external_ids: Array.from({ length: 1001 }, (_, n) => n + 1) },
    Array.from({ length: 5000 }, () => 1),
    { external_ids: [[1, 2]] },
    [[1]],
    [{ id: 1 }],
  ]) {
    add({
      label: `fetch_external body ${JSON.stringify(body).slice(0, 60)}`,
      method: 'POST',
      path: '/products/fetch_external',
      body,
    });
  }
  for (const id of FETCH_BAD_IDS) {
    add({
      label: `fetch_external id ${JSON.stringify(id)?.slice(0, 40)}`,
      method: 'POST',
      path: '/products/fetch_external',
      body: { external_ids: [1, id] },
    });
  }
  for (const query of [
    'external_id=..%2Fadmin',
    'external_id=',
    'external_id=%2F',
    'external_id=1%3Fx%3D2',
    'external_id=1&external_id=a%2Fb',
    'external_id=%00',
    `external_id=${'x'.repeat(65)}`,
    `external_id=${enc('🚀')}`,
    'external_id[a]=1',
    'other=1',
    '',
  ]) {
    add({
      label: `fetch_external ?${query.slice(0, 40)}`,
      method: 'POST',
      path: `/products/fetch_external?${query}`,
    });
  }

  // refresh_all and tasks/run take no body
  for (const path of ['/products/refresh_all', '/tasks/run']) {
    for (const body of [{ a: 1 }, [1], { force: true }, '{', 'null', { external_ids: [1] }]) {
      add({ label: `body ${JSON.stringify(body)} to POST ${path}`, method: 'POST', path, body });
    }
    add({
      label: `text body to POST ${path}`,
      method: 'POST',
      path,
      body: 'run',
      contentType: 'text/plain',
    });
    add({
      label: `XML body to POST ${path}`,
      method: 'POST',
      path,
      body: '<run/>',
      contentType: 'application/xml',
    });
  }

  // lists: query parameters of wrong types and boundary numbers
  for (const path of ['/products', '/items', '/tasks']) {
    for (const limit of BAD_LIMITS) {
      add({
        label: `GET ${path}?limit=${limit}`,
        method: 'GET',
        path: `${path}?limit=${enc(limit)}`,
      });
    }
    for (const offset of BAD_OFFSETS) {
      add({
        label: `GET ${path}?offset=${offset.slice(0, 12)}`,
        method: 'GET',
        path: `${path}?offset=${enc(offset)}`,
      });
    }
    add({
      label: `GET ${path} with repeated limit`,
      method: 'GET',
      path: `${path}?limit=1&limit=2`,
    });
    add({
      label: `GET ${path} with an unknown parameter`,
      method: 'GET',
      path: `${path}?admin=true`,
    });
    add({
      label: `GET ${path} with __proto__ in the query`,
      method: 'GET',
      path: `${path}?__proto__=1`,
    });
  }
  for (const query of [
    'sort=description',
    'sort=id;drop',
    'sort=--id',
    'sort=',
    'sort=id&sort=name',
    'q=a&q=b',
    `q=${'z'.repeat(256)}`,
    'q=%00',
    `q=a${enc('\u0000')}b`,
    `external_id=${'x'.repeat(65)}`,
    'external_id=a&external_id=b',
    'external_id=%00',
  ]) {
    add({
      label: `GET /products?${query.slice(0, 40)}`,
      method: 'GET',
      path: `/products?${query}`,
    });
  }
  for (const query of [
    'base=usd',
    'code=U',
    'source=bogus',
    'base=USD&base=EUR',
    `code=${'X'.repeat(11)}`,
    'base=%00',
    `code=${enc('ÜSD')}`,
  ]) {
    add({ label: `GET /items?${query}`, method: 'GET', path: `/items?${query}` });
  }
  for (const limit of BAD_LIMITS) {
    add({
      label: `history limit=${limit}`,
      method: 'GET',
      path: `/items/${i}/history?limit=${enc(limit)}`,
    });
  }
  for (const since of BAD_SINCE) {
    add({
      label: `history since=${since}`,
      method: 'GET',
      path: `/items/${i}/history?since=${enc(since)}`,
    });
  }
  add({
    label: 'history with two since',
    method: 'GET',
    path: `/items/${i}/history?since=2026-01-01&since=2026-01-02`,
  });

  // ids and path tricks on every route with an id
  for (const id of BAD_IDS) {
    add({ label: `GET /products/${id.slice(0, 20)}`, method: 'GET', path: `/products/${id}` });
    add({
      label: `GET /items/${id.slice(0, 20)}/history`,
      method: 'GET',
      path: `/items/${id}/history`,
    });
  }
  for (const id of BAD_UUIDS) {
    add({ label: `GET /tasks/${id.slice(0, 20)}`, method: 'GET', path: `/tasks/${id}` });
  }
  for (const path of [
    '/products/1/../2',
    '/products/..',
    '/products//1',
    '//products',
    `/products/${p}/extra`,
    `/items/${i}/history/extra`,
    '/products/%2e%2e/items',
    '/%2e%2e/products',
    '/tasks/00000000-0000-4000-8000-000000000000',
    '/products/999999999',
    '/items/999999999',
    '/items/999999999/history',
    `/no-such-route/${enc('🚀')}`,
  ]) {
    add({ label: `GET ${path}`, method: 'GET', path });
  }
  // methods a route does not have, and writes to unknown records
  for (const [method, path] of [
    ['PATCH', '/products'],
    ['DELETE', '/products'],
    ['POST', `/products/${p}`],
    ['PUT', `/items/${i}`],
    ['POST', `/items/${i}`],
    ['DELETE', '/items'],
    ['POST', '/tasks'],
    ['DELETE', `/tasks/${s.jobId}`],
    ['PUT', '/tasks/run'],
    ['GET', '/tasks/run'],
    ['GET', '/products/fetch_external'],
    ['DELETE', '/products/999999999'],
    ['DELETE', '/items/999999999'],
  ] as const) {
    add({ label: `${method} ${path}`, method, path });
  }
  // conflicts: a taken external_id or (base, code) pair
  for (const [method, path, body] of [
    ['POST', '/products', { name: 'dup', price: 1, external_id: 'fz1' }],
    ['POST', '/products', { name: 'dup', price: 1, external_id: 42 }],
    ['PUT', `/products/${p}`, { name: 'dup', price: 1, external_id: '42' }],
    ['PATCH', `/products/${s.otherProductId}`, { external_id: 'fz1' }],
    ['POST', '/items', { code: 'QQQ', base: 'ZZZ', rate: 3 }],
  ] as const) {
    add({ label: `conflict: ${method} ${path} ${JSON.stringify(body)}`, method, path, body });
  }
  // a body on a GET must not turn a 4xx into anything else
  add({
    label: 'GET /products/abc with a JSON body',
    method: 'GET',
    path: '/products/abc',
    body: { a: 1 },
  });
  add({
    label: 'GET /products?limit=0 with a text body',
    method: 'GET',
    path: '/products?limit=0',
    body: 'x',
    contentType: 'text/plain',
  });

  // --- generated: one bad field, bad id or bad query value at a time --------------------------
  const generators: (() => Case)[] = [
    () =>
      bodyCase('POST', '/products', '/products', validProduct(), PRODUCT_FIELDS, ['name', 'price']),
    () =>
      bodyCase('PUT', '/products/{id}', `/products/${p}`, validProduct(), PRODUCT_FIELDS, [
        'name',
        'price',
      ]),
    () => patchCase('/products/{id}', `/products/${p}`, PRODUCT_FIELDS),
    () =>
      bodyCase(
        'POST',
        '/items',
        '/items',
        validItem(),
        ['code', 'base', 'rate', 'source'],
        ['code', 'base', 'rate'],
      ),
    () => patchCase('/items/{id}', `/items/${i}`, ['code', 'base', 'rate']),
    () => {
      const good = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, n) => n + 1);
      const bad = pick(FETCH_BAD_IDS);
      good.splice(Math.floor(random() * good.length), 0, bad as number);
      const body = random() < 0.5 ? { external_ids: good } : good;
      return {
        label: `fetch_external ids with ${show(bad)}`,
        method: 'POST',
        path: '/products/fetch_external',
        body,
      };
    },
    () => {
      const method = pick(['GET', 'PUT', 'PATCH', 'DELETE']);
      const id = pick(BAD_IDS);
      const body =
        method === 'PUT' ? validProduct() : method === 'PATCH' ? { price: 2 } : undefined;
      return {
        label: `${method} /products/${id.slice(0, 20)}`,
        method,
        path: `/products/${id}`,
        body,
      };
    },
    () => {
      const method = pick(['GET', 'PATCH', 'DELETE']);
      const id = pick(BAD_IDS);
      const body = method === 'PATCH' ? { rate: 2 } : undefined;
      return { label: `${method} /items/${id.slice(0, 20)}`, method, path: `/items/${id}`, body };
    },
    () => {
      const path = pick(['/products', '/items', '/tasks', `/items/${i}/history`]);
      const [name, value] =
        random() < 0.5
          ? ['limit', pick(BAD_LIMITS)]
          : path.endsWith('history')
            ? ['since', pick(BAD_SINCE)]
            : ['offset', pick(BAD_OFFSETS)];
      return {
        label: `GET ${path}?${name}=${value.slice(0, 12)}`,
        method: 'GET',
        path: `${path}?${name}=${enc(value)}`,
      };
    },
    () => {
      const path = pick(['/products', '/items', '/products/fetch_external', `/products/${p}`]);
      const method = path === `/products/${p}` ? 'PUT' : 'POST';
      const [type, text] = pick(CONTENT_TYPE_TRICKS);
      return {
        label: `${method} ${path} as "${type}"`,
        method,
        path,
        body: text,
        contentType: type,
      };
    },
    () => {
      // deeper than the 32 levels a body may nest, somewhere a DTO field expects a value
      const depth = 33 + Math.floor(random() * 5000);
      const [method, path, field] = pick([
        ['POST', '/products', 'name'],
        ['PUT', `/products/${p}`, 'description'],
        ['PATCH', `/products/${p}`, 'price'],
        ['POST', '/items', 'rate'],
        ['PATCH', `/items/${i}`, 'code'],
        ['POST', '/products/fetch_external', 'external_ids'],
      ] as const);
      return {
        label: `${method} ${path} nested ${depth} deep in ${field}`,
        method,
        path,
        body: `{"${field}":${nestedJson(depth)}}`,
      };
    },
  ];
  for (let n = 0; n < GENERATED; n++) {
    add(pick(generators)());
  }
  return cases;
}

function show(value: unknown): string {
  if (value === MISSING) {
    return '(missing)';
  }
  if (isRaw(value)) {
    return value.raw;
  }
  return (JSON.stringify(value) ?? String(value)).slice(0, 30);
}

/** JSON with `raw(...)` values spliced in verbatim (1e309, NaN: what JSON.stringify cannot write). */
function toJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (isRaw(v)) {
      marks.push(v.raw);
      return `\u0001raw${marks.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001raw(\d+)\\u0001"/g, (_m, n: string) => marks[Number(n)]);
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** node:http rather than supertest: paths go out byte for byte (no dot-segment normalising). */
function send(baseUrl: string, c: Case): Promise<Answer> {
  const url = new URL(baseUrl);
  const payload =
    c.body === undefined
      ? undefined
      : Buffer.isBuffer(c.body)
        ? c.body
        : Buffer.from(typeof c.body === 'string' ? c.body : toJson(c.body));
  const headers: Record<string, string | number> = { ...c.headers };
  if (payload) {
    headers['Content-Length'] = payload.length;
    const type = c.contentType ?? JSON_TYPE;
    if (type !== '') {
      headers['Content-Type'] = type;
    }
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, method: c.method, path: c.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON: the shape check reports it
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What is wrong with an answer to a bad request, or undefined when it is a proper 4xx. */
function problem(answer: Answer): string | undefined {
  if (answer.status < 400 || answer.status > 499) {
    return `status ${answer.status}: ${answer.text.slice(0, 200)}`;
  }
  try {
    expectErrorShape(answer as unknown as Response, answer.status);
    return undefined;
  } catch (error) {
    return `not the error shape: ${(error as Error).message.split('\n')[0]} ${answer.text.slice(0, 200)}`;
  }
}

describe('Fuzz: generated bad requests across every endpoint', () => {
  let upstream: FakeUpstream;
  let t: TestApp;
  let seeded: Seeded;

  const snapshot = async () => ({
    products: await t.dataSource.query('SELECT * FROM products ORDER BY id'),
    items: await t.dataSource.query('SELECT * FROM items ORDER BY id'),
    history: await t.dataSource.query('SELECT * FROM item_history ORDER BY id'),
    jobs: await t.dataSource.query('SELECT * FROM jobs ORDER BY id'),
  });

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    t = await startTestApp({
      API_KEYS: '',
      RATE_LIMIT_EXPENSIVE: '0',
      EXTERNAL_API_URL: upstream.url,
      API_TYPE: 'mock',
    });
    const products = [];
    for (const body of [
      { name: 'alpha', price: 1, external_id: 'fz1' },
      { name: 'beta', price: 2.5, description: 'second', external_id: '42' },
      { name: 'gamma', price: 0 },
    ]) {
      products.push((await t.http.post('/products').send(body).expect(201)).body);
    }
    const item = (
      await t.http.post('/items').send({ code: 'QQQ', base: 'ZZZ', rate: 2 }).expect(201)
    ).body;
    await t.http.patch(`/items/${item.id}`).send({ rate: 2.5 }).expect(200);
    const job = (await t.http.post('/tasks/run').expect(202)).body;
    await pollUntil(
      async () => (await t.http.get(`/tasks/${job.job_id}`)).body.state as string,
      (state) => state !== 'running',
      { what: 'the seeding sync' },
    );
    seeded = {
      productId: products[0].id,
      otherProductId: products[1].id,
      itemId: item.id,
      jobId: job.job_id,
    };
    upstream.reset();
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
    await upstream.close();
  });

  it(`each of 500+ bad requests (${GENERATED} of them generated) gets a 4xx in the error shape; no data changes and nothing reaches the upstream`, async () => {
    const cases = seededCases(prng(SEED), seeded);
    expect(cases.length).toBeGreaterThanOrEqual(500);
    const before = await snapshot();

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const c of cases) {
      const answer = await send(t.baseUrl, c);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const wrong = problem(answer);
      if (wrong) {
        failures.push(`${c.label} [${c.method} ${c.path.slice(0, 60)}] → ${wrong}`);
      }
    }

    expect(failures).toEqual([]);
    // the stream covers the kinds of refusal, not one of them
    expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([400, 404, 409, 413, 415]));
    expect(await snapshot()).toEqual(before);
    expect(upstream.stats.requests).toBe(0);
    // and the service is still itself
    const res = await t.http.get(`/products/${seeded.productId}`);
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('alpha');
  });
});
