import { originAllowed } from './handshake-origin';

describe('originAllowed', () => {
  const host = 'svc.internal:8000';

  it('allows a handshake without Origin (not a browser)', () => {
    expect(originAllowed(undefined, host, [])).toBe(true);
  });

  it('allows any origin with *', () => {
    expect(originAllowed('https://evil.example', host, '*')).toBe(true);
  });

  it('allows a listed origin, case-insensitively', () => {
    expect(originAllowed('https://App.Example.com', host, ['https://app.example.com'])).toBe(true);
  });

  it('refuses an origin that is neither listed nor the service itself', () => {
    expect(originAllowed('https://evil.example', host, ['https://app.example.com'])).toBe(false);
    expect(originAllowed('https://evil.example', host, [])).toBe(false);
    expect(
      originAllowed('https://app.example.com.evil.example', host, ['https://app.example.com']),
    ).toBe(false);
  });

  it("allows the service's own origin (the live page) with CORS off", () => {
    expect(originAllowed('http://svc.internal:8000', host, [])).toBe(true);
    expect(originAllowed('http://svc.internal', 'svc.internal:80', [])).toBe(true);
    expect(originAllowed('http://svc.internal:8001', host, [])).toBe(false);
  });

  it('refuses null and junk origins unless * is set', () => {
    expect(originAllowed('null', host, [])).toBe(false);
    expect(originAllowed('file://', host, [])).toBe(false);
    expect(originAllowed('not a url', undefined, [])).toBe(false);
  });
});
