'use strict';
// "The machine's limit": the same two product endpoints on bare node:http and the same sqlite3
// driver, with no framework, no ORM and only the validation needed to stay correct.
// Usage: PORT=3000 DB_FILE=<a seeded SQLite file> node bench/reference-node-http.js
const http = require('node:http');
const sqlite3 = require('sqlite3');

const port = Number(process.env.PORT) || 3000;
const db = new sqlite3.Database(process.env.DB_FILE);

// the app's settings: WAL, NORMAL sync (no fsync per commit), 5 s busy timeout
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000');
const selectById = db.prepare('SELECT * FROM products WHERE id = ?');
// RETURNING gives the stored row back in the same statement (one round trip to the driver)
const insert = db.prepare(
  'INSERT INTO products (name, description, price, external_id, created_at, updated_at) ' +
    'VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
);

/** TypeORM stores a Date in SQLite as UTC "YYYY-MM-DD HH:MM:SS.SSS"; the API speaks ISO 8601. */
const toIso = (stored) => `${stored.replace(' ', 'T')}Z`;
const toStored = (date) => date.toISOString().replace('T', ' ').slice(0, 23);

function toDto(row) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: row.price,
    external_id: row.external_id,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

function send(res, status, body) {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(json),
  });
  res.end(json);
}

/** The fields the app requires; anything else is a 400, as there. */
function validProduct(body) {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof body.name === 'string' &&
    body.name.length >= 1 &&
    body.name.length <= 255 &&
    typeof body.price === 'number' &&
    Number.isFinite(body.price) &&
    body.price >= 0 &&
    (body.description === undefined || typeof body.description === 'string') &&
    (body.external_id === undefined ||
      body.external_id === null ||
      /^[A-Za-z0-9_-]{1,64}$/.test(body.external_id))
  );
}

function getProduct(res, id) {
  selectById.get(id, (error, row) => {
    if (error) return send(res, 500, { message: error.message });
    if (!row) return send(res, 404, { message: `product ${id} not found` });
    send(res, 200, toDto(row));
  });
}

function createProduct(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { message: 'invalid JSON' });
    }
    if (!validProduct(body)) return send(res, 400, { message: 'invalid product' });
    const now = toStored(new Date());
    const params = [body.name, body.description ?? '', body.price, body.external_id ?? null];
    insert.get([...params, now, now], (error, row) => {
      if (error && error.code === 'SQLITE_CONSTRAINT') {
        return send(res, 409, { message: 'external_id taken' });
      }
      if (error) return send(res, 500, { message: error.message });
      send(res, 201, toDto(row));
    });
  });
}

const PRODUCT_PATH = /^\/products\/(\d{1,10})\/?$/;

const server = http.createServer((req, res) => {
  const url = req.url.split('?')[0];
  if (req.method === 'GET') {
    const match = PRODUCT_PATH.exec(url);
    if (match) return getProduct(res, Number(match[1]));
  } else if (req.method === 'POST' && (url === '/products' || url === '/products/')) {
    return createProduct(req, res);
  }
  send(res, 404, { message: 'not found' });
});

// no SIGTERM handler: the default exit is fine, as WAL keeps every commit across a kill
server.listen(port);
