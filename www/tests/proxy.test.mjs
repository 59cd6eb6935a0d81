// Proxy mode: the demo server forwards /api/v0/ to an upstream
// Mackerel-compatible API that asks for an API key, adding the key from its
// environment. The page loads through it; the key never reaches the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './harness.mjs';

const KEY = 'key-that-stays-on-the-server-4f9c';
let upstream, proxy, browser;

before(async () => {
  upstream = await startServer({ SABAPLOT_REQUIRE_API_KEY: KEY });
  proxy = await startServer({ SABAPLOT_MACKEREL_URL: upstream.url, MACKEREL_APIKEY: KEY });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  proxy?.stop();
  upstream?.stop();
});

test('the proxy adds the API key server-side; the browser never sees it', async () => {
  const direct = await fetch(`${upstream.url}api/v0/hosts`);
  assert.equal(direct.status, 401, 'the upstream asks for the key');
  assert.match((await direct.json()).error.message, /Authentication failed/);

  const page = await browser.newPage();
  const seen = [];
  page.on('request', (r) => seen.push(r.headers()));
  const bodies = [];
  page.on('response', async (r) => {
    if (r.url().includes('/api/')) bodies.push(await r.text().catch(() => ''));
  });
  await page.goto(`${proxy.url}embed.html?days=1`);
  await page.waitForFunction(() => document.getElementById('status').textContent !== '', null, { timeout: 30_000 });
  const status = await page.locator('#status').textContent();
  assert.match(status, /^\d+ points from \d+ requests/);
  assert.doesNotMatch(status, /failed/);
  assert.ok(Number(status.split(' ')[0]) > 1_300, status);
  assert.ok(bodies.length >= 2);
  for (const headers of seen) {
    assert.ok(!Object.keys(headers).some((h) => h.toLowerCase() === 'x-api-key'), 'no key in a request');
    assert.ok(!Object.values(headers).some((v) => v.includes(KEY)), 'the key is in no header');
  }
  assert.ok(bodies.every((b) => !b.includes(KEY)), 'the key is in no answer');
  await page.close();
});
