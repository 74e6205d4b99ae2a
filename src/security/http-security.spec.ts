import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { applySecurityHeaders, helmetMiddleware, securityHeaders } from './http-security';

const freshResponse = (): ServerResponse => {
  const req = new IncomingMessage(new Socket());
  const res = new ServerResponse(req);
  res.setHeader('X-Powered-By', 'Express');
  return res;
};

describe('security headers, recorded once', () => {
  it('put on a response exactly what helmet itself puts on it', () => {
    const byHelmet = freshResponse();
    let passed = false;
    helmetMiddleware()(byHelmet.req, byHelmet, () => (passed = true));
    expect(passed).toBe(true);

    const recorded = freshResponse();
    applySecurityHeaders(recorded, securityHeaders());

    expect(recorded.getHeaders()).toEqual(byHelmet.getHeaders());
    expect(recorded.getHeader('content-security-policy')).toContain("default-src 'self'");
    expect(recorded.getHeader('content-security-policy')).not.toContain(
      'upgrade-insecure-requests',
    );
    expect(recorded.hasHeader('x-powered-by')).toBe(false);
  });
});
