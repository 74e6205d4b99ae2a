import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { jobEnd } from './helpers/jobs';
import { pollUntil } from './helpers/poll';
import { ROOT } from './helpers/spawn-app';
import { startTestApp, TestApp } from './helpers/test-app';

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
const WAIT = { timeout: 10_000 };

interface ItemBody {
  id: number;
  base: string;
  code: string;
  rate: number;
}
interface ConversionBody {
  result: number;
  rate: number;
  path: { item_id: number; base: string; code: string; inverted: boolean }[];
}

/** The page's own formatting of a rate (live-dom.js). */
const formatRate = (value: number) =>
  new Intl.NumberFormat('en-US', { maximumSignificantDigits: 8 }).format(value);
const pair = (item: ItemBody) => `${item.base}/${item.code}`;

describe('The live page as a rates board, in headless Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const items = async (): Promise<ItemBody[]> =>
    (await t.http.get('/items?limit=1000').expect(200)).body as ItemBody[];
  const byPair = async (name: string): Promise<ItemBody> =>
    (await items()).find((item) => pair(item) === name)!;
  const sync = async (): Promise<void> => {
    const run = await t.http.post('/tasks/run').expect(202);
    expect((await jobEnd(t, run.body.status_url as string)).state).toBe('succeeded');
  };
  const row = (id: number) => page.locator(`#board-rows tr[data-id="${id}"]`);

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp({ API_TYPE: 'mock' });
    // three syncs: the mock's six items, each with three points of history
    for (let i = 0; i < 3; i += 1) {
      await sync();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // the box's deliberate bad questions are the only failed requests expected
      const { url } = message.location();
      if (message.type() === 'error' && !/\/convert\?.*(amount=-3|to=XYZ)/.test(url)) {
        pageErrors.push(`${message.text()} (${url})`);
      }
    });
    await page.goto(`${t.baseUrl}/live`);
    await page.waitForSelector('#conn[data-state="open"]', WAIT);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists every item with its rate, its last change and a sparkline, and charts the first without a click', async () => {
    const all = (await items()).sort((a, b) => pair(a).localeCompare(pair(b)));
    expect(all).toHaveLength(6);
    await page.waitForSelector('#board-count[data-items="6"]', WAIT);
    const rows = await page.locator('#board-rows tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        id: Number(tr.getAttribute('data-id')),
        pair: tr.children[0].textContent,
        rate: Number(tr.getAttribute('data-rate')),
        shown: tr.children[1].textContent,
      })),
    );
    expect(rows).toEqual(
      all.map((item) => ({
        id: item.id,
        pair: pair(item),
        rate: item.rate,
        shown: formatRate(item.rate),
      })),
    );
    // each history has three points: a polyline, and the change between the last two
    for (const item of all) {
      await row(item.id).locator('svg.sparkline[data-points="3"] polyline').waitFor(WAIT);
      const history = (await t.http.get(`/items/${item.id}/history?limit=2`).expect(200)).body as {
        rate: number;
      }[];
      const dir = history[0].rate > history[1].rate ? 'up' : 'down';
      await row(item.id).locator(`td.change[data-dir="${dir}"]`).waitFor(WAIT);
    }
    expect(await page.locator('#item').inputValue()).toBe(String(all[0].id));
    await page.waitForSelector('#points[data-points="3"]', WAIT);
    expect(await row(all[0].id).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
  });

  it('a PATCH moves its row: the new value, the arrow and delta, and the flash', async () => {
    const gbp = await byPair('USD/GBP');
    const up = Number((gbp.rate * 1.01).toPrecision(8));
    await t.http.patch(`/items/${gbp.id}`).send({ rate: up }).expect(200);
    await row(gbp.id).locator('xpath=self::*[contains(@class, "flash")]').waitFor(WAIT);
    await page.waitForSelector(
      `#board-rows tr.flash[data-id="${gbp.id}"][data-dir="up"][data-moves="1"]`,
      WAIT,
    );
    expect(await row(gbp.id).locator('td.rate').textContent()).toBe(formatRate(up));
    expect(await row(gbp.id).getAttribute('data-rate')).toBe(String(up));
    expect(await row(gbp.id).locator('td.change').textContent()).toMatch(/^▲ \+0\.00\d+ \(\+1%\)$/);
    await row(gbp.id).locator('svg.sparkline[data-points="4"]').waitFor(WAIT);

    await t.http.patch(`/items/${gbp.id}`).send({ rate: gbp.rate }).expect(200);
    await page.waitForSelector(
      `#board-rows tr.flash[data-id="${gbp.id}"][data-dir="down"][data-moves="2"]`,
      WAIT,
    );
    expect(await row(gbp.id).locator('td.rate').textContent()).toBe(formatRate(gbp.rate));
    expect(await row(gbp.id).locator('td.change').textContent()).toMatch(
      /^▼ -0\.00\d+ \(-0\.99\d*%\)$/,
    );
  });

  it('a sync moves every row to its new rate, each flashing', async () => {
    const before = await items();
    await sync();
    const after = await items();
    const expected = after.map((item) => {
      const old = before.find((b) => b.id === item.id)!;
      expect(item.rate).not.toBe(old.rate);
      const dir = item.rate > old.rate ? 'up' : 'down';
      return {
        id: item.id,
        flash: true,
        rate: String(item.rate),
        dir,
        shown: formatRate(item.rate),
      };
    });
    // every row at once, so a miss reports what each row shows against what the API says
    const shown = () =>
      page.locator('#board-rows tr[data-id]').evaluateAll((trs) =>
        trs
          .map((tr) => ({
            id: Number(tr.getAttribute('data-id')),
            flash: tr.classList.contains('flash'),
            rate: tr.getAttribute('data-rate'),
            dir: tr.getAttribute('data-dir'),
            shown: tr.querySelector('td.rate')?.textContent,
          }))
          .sort((a, b) => a.id - b.id),
      );
    const same = (rows: Awaited<ReturnType<typeof shown>>) =>
      JSON.stringify(rows) === JSON.stringify(expected);
    const rows = await pollUntil(shown, same, {
      deadlineMs: WAIT.timeout,
      what: 'the board',
    }).catch((error: Error) => {
      throw new Error(
        `${error.message}; expected ${JSON.stringify(expected)}; page errors ${JSON.stringify(pageErrors)}`,
      );
    });
    expect(rows).toEqual(expected);
    expect(pageErrors).toEqual([]);
  });

  it('the conversion box answers through /convert with its path, and follows a rate on that path', async () => {
    await page.fill('#convert input[name=amount]', '250');
    await page.fill('#convert input[name=from]', 'eur');
    await page.fill('#convert input[name=to]', 'JPY');
    await page.click('#convert button[type=submit]');
    const result = page.locator('#convert-result');
    await page.waitForSelector('#convert-result[data-state="ok"][data-answers="1"]', WAIT);
    const asked = async () =>
      (await t.http.get('/convert?from=EUR&to=JPY&amount=250').expect(200)).body as ConversionBody;
    const first = await asked();
    expect(Number(await result.getAttribute('data-result'))).toBe(first.result);
    const [eur, jpy] = [await byPair('USD/EUR'), await byPair('USD/JPY')];
    expect(await result.getAttribute('data-path')).toBe(`${eur.id},${jpy.id}`);
    expect(await result.locator('.path li').allTextContents()).toEqual([
      `EUR → USD · USD/EUR = ${formatRate(eur.rate)} (inverted)`,
      `USD → JPY · USD/JPY = ${formatRate(jpy.rate)}`,
    ]);
    await expect(result.locator('.answer').textContent()).resolves.toBe(
      `250 EUR = ${formatRate(first.result)} JPY`,
    );

    // a rate on the path moves: the box asks again and shows the new answer
    await t.http.patch(`/items/${jpy.id}`).send({ rate: 200 }).expect(200);
    const second = await asked();
    expect(second.result).not.toBe(first.result);
    await page.waitForSelector(`#convert-result[data-result="${second.result}"]`, WAIT);
    expect(await result.locator('.path li').nth(1).textContent()).toBe('USD → JPY · USD/JPY = 200');
    // a rate off the path does not make it ask
    const answers = Number(await result.getAttribute('data-answers'));
    const chf = await byPair('USD/CHF');
    await t.http.patch(`/items/${chf.id}`).send({ rate: 0.5 }).expect(200);
    await page.waitForSelector(`#board-rows tr[data-id="${chf.id}"][data-rate="0.5"]`, WAIT);
    await page.waitForTimeout(300); // longer than the box's settle delay: an ask would be in
    expect(Number(await result.getAttribute('data-answers'))).toBe(answers);
  });

  it('the conversion box says what is wrong: a bad amount (400), no chain (404)', async () => {
    await page.fill('#convert input[name=amount]', '-3');
    await page.click('#convert button[type=submit]');
    await page
      .locator('#convert-result[data-state="error"]', { hasText: /400:.*amount/s })
      .waitFor(WAIT);
    await page.fill('#convert input[name=amount]', '1');
    await page.fill('#convert input[name=to]', 'XYZ');
    await page.click('#convert button[type=submit]');
    await page
      .locator('#convert-result[data-state="error"]', { hasText: /no conversion:.*XYZ/s })
      .waitFor(WAIT);
    expect(await page.locator('#convert-result').getAttribute('data-path')).toBe('');
  });

  it('draws candlesticks by interval for the row clicked, and folds a new rate into the newest', async () => {
    const eur = await byPair('USD/EUR');
    await row(eur.id).click();
    expect(await page.locator('#item').inputValue()).toBe(String(eur.id));
    await page.click('#views label:has(input[value="1m"])');
    const buckets = (await t.http.get(`/items/${eur.id}/history?interval=1m`).expect(200)).body as {
      start: string;
      close: number;
    }[];
    await page.waitForSelector(`#points[data-candles="${buckets.length}"]`, WAIT);
    const starts = await page
      .locator('#chart svg.candles g.candle')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-start')));
    expect(starts).toEqual(buckets.map((b) => b.start).reverse());
    expect(await page.locator('#chart svg.candles g.candle rect.body').count()).toBe(
      buckets.length,
    );
    expect(await page.locator('#chart canvas').count()).toBe(0);

    await t.http.patch(`/items/${eur.id}`).send({ rate: 0.777 }).expect(200);
    const newest = page.locator('#chart svg.candles g.candle').last();
    await newest
      .locator('title', { hasText: 'close 0.777' })
      .waitFor({ ...WAIT, state: 'attached' });
    const now = (await t.http.get(`/items/${eur.id}/history?interval=1m&limit=1`).expect(200)).body;
    expect(await newest.getAttribute('data-start')).toBe(now[0].start);

    await page.click('#views label:has(input[value="1d"])');
    const days = (await t.http.get(`/items/${eur.id}/history?interval=1d`).expect(200))
      .body as unknown[];
    await page.waitForSelector(`#points[data-candles="${days.length}"]`, WAIT);
    expect(await page.locator('#chart svg.candles g.candle').count()).toBe(days.length);
  });

  it("lists products' events in their own list, apart from the rates'", async () => {
    await t.http.post('/products').send({ name: 'Mascara', price: 9.99 }).expect(201);
    await page
      .locator('#product-events li[data-event="product.created"]', { hasText: 'Mascara' })
      .waitFor(WAIT);
    expect(await page.locator('#events li[data-event^="product."]').count()).toBe(0);
    expect(await page.locator('#events li[data-event="item.updated"]').count()).toBeGreaterThan(0);
  });

  it('is readable at desktop and phone widths (screenshots in test-output/), with no page error', async () => {
    // the widest row a rate can make: eight significant digits, moved by a hundred-millionth
    const gbp = await byPair('USD/GBP');
    await t.http.patch(`/items/${gbp.id}`).send({ rate: 0.12345678 }).expect(200);
    await t.http.patch(`/items/${gbp.id}`).send({ rate: 0.12345679 }).expect(200);
    await row(gbp.id).locator('td.change', { hasText: '+0.00000001' }).waitFor(WAIT);
    await page.screenshot({ path: join(ARTIFACTS, 'live-board-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    // nothing wider than the phone: no sideways scrolling
    await pollUntil(
      () => page.evaluate<number>('document.documentElement.scrollWidth'),
      (width) => width <= 390,
      { deadlineMs: 5000, what: 'the page fitting 390 px' },
    );
    // and the board's four columns fit its box without a sideways scroll
    const fits = await pollUntil(
      () =>
        page.evaluate<boolean>(
          "(() => { const box = document.querySelector('.board .scroll'); return box.scrollWidth <= box.clientWidth; })()",
        ),
      (fit) => fit,
      { deadlineMs: 5000, what: 'the board fitting its box' },
    );
    expect(fits).toBe(true);
    // the candles are redrawn to the phone's width
    await page.waitForFunction(
      `(() => {
        const svg = document.querySelector('#chart svg.candles');
        const width = document.getElementById('chart').clientWidth;
        return svg !== null && width < 390 && Number(svg.getAttribute('width')) === width;
      })()`,
      undefined,
      WAIT,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'live-board-phone.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
