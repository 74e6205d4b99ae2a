'use strict';
// The reference of the WebSocket fan-out benchmark (bench/events.js): the smallest server that does
// the same job over the same protocol, node:http + ws and nothing else (no database, no Nest).
// `POST /products` gives the product an id and a seq, sends its `product.created` envelope (the
// app's shape and size) to every client, then answers 201 — the order the app keeps (its event
// goes out at commit, before the response). Clients get a `welcome` first, with `seq`.
// Usage: PORT=3000 node bench/reference-ws-broadcast.js
const crypto = require('node:crypto');
const http = require('node:http');
const { WebSocketServer } = require('ws');

let nextId = 0;
let seq = 0;
const origin = `reference-${process.pid}`;

const server = http.createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/products') {
    response.writeHead(404).end();
    return;
  }
  let text = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (text += chunk));
  request.on('end', () => {
    const body = JSON.parse(text);
    const now = new Date().toISOString();
    const product = {
      id: ++nextId,
      name: body.name,
      description: body.description ?? null,
      price: body.price,
      external_id: null,
      created_at: now,
      updated_at: now,
    };
    const frame = JSON.stringify({
      id: crypto.randomUUID(),
      seq: ++seq,
      event: 'product.created',
      payload: product,
      ts: now,
      origin,
    });
    for (const client of wss.clients) {
      if (client.readyState === client.OPEN) client.send(frame);
    }
    const json = JSON.stringify(product);
    response.writeHead(201, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(json),
    });
    response.end(json);
  });
});

const wss = new WebSocketServer({ server, path: '/ws/items', perMessageDeflate: false });
wss.on('connection', (client) => {
  client.send(JSON.stringify({ event: 'welcome', payload: { instance: origin, seq } }));
  // clients only listen here; anything they send is ignored
  client.on('message', () => undefined);
});

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
