import type { Response } from 'supertest';

/** Asserts the error body every error has: status, message, path, an ISO timestamp, the request id. */
export function expectErrorShape(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.body).toEqual(
    expect.objectContaining({
      statusCode: status,
      error: expect.any(String),
      path: expect.any(String),
      request_id: res.headers['x-request-id'],
    }),
  );
  const message: unknown = res.body.message;
  expect(typeof message === 'string' || Array.isArray(message)).toBe(true);
  expect(new Date(res.body.timestamp as string).toISOString()).toBe(res.body.timestamp);
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack traces
}

/** Asserts the 503 a request gets while the database cannot serve it, with its hint to retry. */
export function expectDatabaseUnavailable(res: Response, path: string): void {
  expect(res.status).toBe(503);
  expect(res.headers['retry-after']).toBe('1');
  expect(res.body).toMatchObject({
    statusCode: 503,
    message: 'the database is unavailable; retry later',
    path,
  });
}
