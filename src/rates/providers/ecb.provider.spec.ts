import { UpstreamHttp, UpstreamResponse } from '../../external/upstream-http';
import { EcbRateProvider } from './ecb.provider';

class FakeHttp extends UpstreamHttp {
  urls: string[] = [];

  constructor(private readonly data: unknown) {
    super();
  }

  getJson(url: string): Promise<UpstreamResponse> {
    this.urls.push(url);
    return Promise.resolve({ status: 200, data: this.data });
  }

  circuitOpenFor(): number | undefined {
    return undefined;
  }
}

const URL = 'http://ecb.test/stats/eurofxref/eurofxref-daily.xml';

describe('EcbRateProvider', () => {
  it('GETs ECB_API_URL and returns its rates against EUR', async () => {
    const http = new FakeHttp(
      '<Envelope><Cube><Cube time="2026-11-30"><Cube currency="USD" rate="1.05"/></Cube></Cube></Envelope>',
    );
    const provider = new EcbRateProvider(http, URL);
    expect(provider.source).toBe('ecb');
    await expect(provider.fetch()).resolves.toEqual([{ base: 'EUR', code: 'USD', rate: 1.05 }]);
    expect(http.urls).toEqual([URL]);
  });

  it('fails on a body the client already read as JSON', async () => {
    await expect(new EcbRateProvider(new FakeHttp({ rates: {} }), URL).fetch()).rejects.toThrow(
      'rates source answered a bad body: expected the eurofxref XML document',
    );
  });
});
