import { startFakeUpstream } from './fake-upstream';

/**
 * `npm run fake-upstream`: the fake upstream as a server, for demos and benchmarks.
 * FAKE_UPSTREAM_PORT (default 8100), FAKE_UPSTREAM_LATENCY_MS, FAKE_UPSTREAM_ERROR_RATE.
 */
async function main(): Promise<void> {
  const upstream = await startFakeUpstream(Number(process.env.FAKE_UPSTREAM_PORT ?? 8100));
  upstream.set({
    latencyMs: Number(process.env.FAKE_UPSTREAM_LATENCY_MS ?? 0),
    errorRate: Number(process.env.FAKE_UPSTREAM_ERROR_RATE ?? 0),
  });
  console.log(`fake upstream on ${upstream.url}`);
  console.log(
    `  EXTERNAL_API_URL=${upstream.url}                (dummyjson /products/{id}, jsonplaceholder /posts/{id})`,
  );
  console.log(`  EXCHANGE_RATES_API_URL=${upstream.url}/v4/latest/USD`);
  console.log(`  CRYPTO_API_URL=${upstream.url}/api/v3/ticker/price`);
  console.log(`  ECB_API_URL=${upstream.url}/stats/eurofxref/eurofxref-daily.xml`);
  const stop = () => void upstream.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
