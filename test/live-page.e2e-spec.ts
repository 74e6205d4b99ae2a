import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { expectErrorShape } from './helpers/error-shape';
import { freePort, ROOT } from './helpers/spawn-app';
import { startTestApp, TestApp } from './helpers/test-app';
import { createTestDatabase, TestDatabase } from './helpers/test-database';
import { TestWsClient } from './helpers/ws-client';

/** Debian's chromium, as .ci/run installs it; playwright never downloads a browser here. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const ARTIFACTS = join(ROOT, 'test-output');

describe('The live page in headless Chromium', () => {
  let database: TestDatabase;
  let port: number;
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  /** The database of the last test's server: a new stream. */
  let fresh: TestDatabase | undefined;
  const pageErrors: string[] = [];

  const start = async (): Promise<TestApp> => startTestApp({ API_TYPE: 'mock' }, database, port);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    database = await createTestDatabase();
    port = await freePort();
    t = await start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${t.baseUrl}/live`);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await database.drop();
    await fresh?.drop();
  });

  const eventRow = (name: string, text?: string) =>
    page.locator(`#events li[data-event="${name}"]`, text ? { hasText: text } : {});

  it('connects to /ws/items and says so', async () => {
    await page.waitForSelector('#conn[data-state="open"]', { timeout: 10_000 });
    await expectText('#conn', /open · /);
  });

  it('the form creates an item, and its item.created event appears on the page', async () => {
    await page.fill('input[name=base]', 'usd');
    await page.fill('input[name=code]', 'eur');
    await page.fill('input[name=rate]', '0.5');
    await page.click('#create-item button[type=submit]');

    await eventRow('item.created', 'USD/EUR').waitFor({ timeout: 10_000 });
    await expectText('#form-status', /created USD\/EUR = 0\.5/);
    const stored = await t.http.get('/items?base=USD&code=EUR').expect(200);
    expect(stored.body).toEqual([expect.objectContaining({ rate: 0.5, source: 'manual' })]);
    // the new item is selected: its history (one point) is on the chart
    await page.waitForSelector('#points[data-points="1"]', { timeout: 10_000 });
  });

  it('a rates sync moves the rate: the event is listed and the chart gains a point', async () => {
    await t.http.post('/tasks/run').expect(202);

    await eventRow('rates.synced').waitFor({ timeout: 10_000 });
    await page.waitForSelector('#points[data-points="2"]', { timeout: 10_000 });
    const history = await t.http.get(`/items/${await selectedItemId()}/history`).expect(200);
    expect(history.body).toHaveLength(2);
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'live-page.png'), fullPage: true });
  });

  it('shows the stream position it is at', async () => {
    // the stream's position, as the server tells any client that connects
    const probe = await TestWsClient.connect(t.baseUrl);
    probe.close();
    const seq = probe.frames[0].payload?.seq as number;
    expect(seq).toBeGreaterThanOrEqual(4); // item.created, job.started, rates.synced, job.finished
    await page.waitForSelector(`#position[data-seq="${seq}"]`, { timeout: 10_000 });
    await expectText('#position', new RegExp(`^\\s*at #${seq}\\s*$`));
  });

  it('after a restart with changes made while it was away, resumes and lists the missed events', async () => {
    const before = await position();
    await t.close();
    await page.waitForSelector('#conn[data-state="closed"]', { timeout: 10_000 });
    // the changes land while the page's server is down: another instance on the same database
    const other = await startTestApp({ API_TYPE: 'mock' }, database);
    for (const code of ['NOK', 'DKK', 'PLN']) {
      await other.http.post('/items').send({ base: 'USD', code, rate: 1.5 }).expect(201);
    }
    await other.close();
    t = await start();

    await page.waitForSelector('#conn[data-state="open"][data-connects="2"]', { timeout: 20_000 });
    await expectText('#events li.note', /^reconnected: 3 events missed while away/);
    const missed = page.locator('#events li.missed');
    expect(await missed.evaluateAll((rows) => rows.map((li) => li.textContent))).toEqual([
      expect.stringMatching(/#\d+item\.createdmissed while awayUSD\/PLN/),
      expect.stringMatching(/USD\/DKK/),
      expect.stringMatching(/USD\/NOK/),
    ]);
    expect(await missed.evaluateAll((rows) => rows.map((li) => Number(li.dataset.seq)))).toEqual([
      before + 3,
      before + 2,
      before + 1,
    ]);
    await page.waitForSelector(`#position[data-seq="${before + 3}"]`, { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'live-page-resumed.png'), fullPage: true });

    // then live again: a new event is not marked missed
    await t.http.post('/items').send({ base: 'USD', code: 'SEK', rate: 10.4 }).expect(201);
    await eventRow('item.created', 'USD/SEK').waitFor({ timeout: 10_000 });
    expect(await page.locator('#events li.missed').count()).toBe(3);
    await page.waitForSelector(`#position[data-seq="${before + 4}"]`, { timeout: 10_000 });
    expect(pageErrors).toEqual([]);
  });

  it('on a server with a new stream it cannot resume: it says so and reloads over REST', async () => {
    await t.close();
    await page.waitForSelector('#conn[data-state="closed"]', { timeout: 10_000 });
    fresh = await createTestDatabase();
    t = await startTestApp({ API_TYPE: 'mock' }, fresh, port);
    await t.http.post('/items').send({ base: 'EUR', code: 'CHF', rate: 0.94 }).expect(201);
    await page.waitForSelector('#conn[data-state="open"][data-connects="3"]', {
      timeout: 20_000,
    });
    await expectText('#events li.note', /missed while away could not be listed.*state reloaded/);
    // the fresh database's one item, from REST; the position is the new stream's
    await page.waitForSelector('#item option:text("EUR/CHF")', { state: 'attached' });
    expect(await page.locator('#item option').count()).toBe(2);
    await page.waitForSelector('#position[data-seq="1"]', { timeout: 10_000 });
    await page.screenshot({
      path: join(ARTIFACTS, 'live-page-not-recovered.png'),
      fullPage: true,
    });
    expect(pageErrors).toEqual([]);
  });

  async function position(): Promise<number> {
    return Number(await page.locator('#position').getAttribute('data-seq'));
  }

  async function expectText(selector: string, pattern: RegExp): Promise<void> {
    await page.locator(selector, { hasText: pattern }).waitFor({ timeout: 10_000 });
  }

  async function selectedItemId(): Promise<string> {
    return page.locator('#item').inputValue();
  }
});

describe("The live page's files over HTTP", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves the page at /live, its files beside it and uPlot under /live/vendor, with the security headers', async () => {
    for (const [path, type] of [
      ['/live', /^text\/html/],
      ['/live/live.js', /^text\/javascript/],
      ['/live/live.css', /^text\/css/],
      ['/live/live-board.js', /^text\/javascript/],
      ['/live/live-board.css', /^text\/css/],
      ['/live/favicon.svg', /^image\/svg\+xml/],
    ] as const) {
      const res = await t.http.get(path).expect(200);
      expect(res.headers['content-type']).toMatch(type);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    }
    const vendor = await t.http.get('/live/vendor/uPlot.iife.min.js').expect(200);
    expect(vendor.headers['content-type']).toMatch(/^text\/javascript/);
    expect(vendor.headers['cache-control']).toBe('public, max-age=86400');
    expect(vendor.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers an unknown file with the 404 error body', async () => {
    for (const path of ['/live/nope.js', '/live/vendor/nope.js']) {
      expectErrorShape(await t.http.get(path), 404);
    }
  });
});
