import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/products?api_key=s3&limit=5', '/products?api_key=[redacted]&limit=5'],
    ['/x?apikey=s3', '/x?apikey=[redacted]'],
    ['/x?token=s3#top', '/x?token=[redacted]#top'],
    ['/x?q=key&sort=-price', '/x?q=key&sort=-price'],
    ['/products/1', '/products/1'],
    ['postgres://app:s3cret@db:5432/catalog', 'postgres://db:5432/catalog'],
    ['postgres://app:p@ss@db/catalog', 'postgres://db/catalog'],
    ['nats://tok@a:4222,nats://u:p@b:4222', 'nats://a:4222,nats://b:4222'],
    [
      'connect ECONNREFUSED (https://k:v@api.example.com/x)',
      'connect ECONNREFUSED (https://api.example.com/x)',
    ],
    ['mail me at someone@example.com', 'mail me at someone@example.com'],
  ])('%s → %s', (text, expected) => {
    expect(redactUrl(text)).toBe(expected);
  });
});
