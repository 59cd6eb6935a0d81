// The package under a strict Content-Security-Policy, as the README's
// Security section says to set it: with `'wasm-unsafe-eval'` (and Trusted
// Types required) the chart loads, draws, shows its tooltip and legend with
// no violation; without it, init() fails, which is why the README asks
// for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, openPage } from './harness.mjs';

const context = serverAndBrowser();

const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
  "object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

// The page and its module, served from the demo's origin with the policy.
const PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>csp</title></head>
<body><div id="chart"></div>
<script type="module" src="/csp/main.js"></script></body></html>`;
const MAIN = `
const violations = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.__csp = { violations };
try {
  const el = document.getElementById('chart');
  Object.assign(el.style, { width: '800px', height: '300px' }); // CSSOM, which style-src allows
  const pkg = await import('/pkg/sabaplot.js');
  await pkg.default();
  const t = Float64Array.from({ length: 600 }, (_, k) => 1.7e9 + 60 * k);
  const v = Float64Array.from(t, (_, k) => Math.sin(k / 30) * 10 + 20);
  const chart = new pkg.Chart(document.getElementById('chart'), { title: '<img src=x onerror=alert(1)>', timeZone: 'UTC' });
  chart.setSeriesArrays('<b>web-01</b>', t, v);
  chart.draw();
  window.__csp.chart = chart;
  window.__csp.state = 'drawn';
} catch (e) {
  window.__csp.state = 'failed: ' + e.message;
}
`;

async function openWith(policy) {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 900, height: 400 } });
  const headers = { 'content-security-policy': policy };
  await page.route('**/csp/page.html', (route) => route.fulfill({ contentType: 'text/html', headers, body: PAGE }));
  await page.route('**/csp/main.js', (route) => route.fulfill({ contentType: 'text/javascript', headers, body: MAIN }));
  await page.goto(`${context.server.url}csp/page.html`);
  await page.waitForFunction(() => window.__csp?.state);
  return { page, problems };
}

test("under a strict CSP with 'wasm-unsafe-eval' and Trusted Types the chart draws, with no violation", async () => {
  const { page, problems } = await openWith(STRICT);
  assert.equal(await page.evaluate(() => window.__csp.state), 'drawn');
  // The tooltip and legend show the page's text as text.
  const box = await page.locator('canvas').boundingBox();
  await page.mouse.move(Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2));
  await page.waitForFunction(() => [...document.querySelectorAll('#chart *')].some((e) => e.textContent.includes('<b>web-01</b>')));
  const found = await page.evaluate(() => ({
    bold: document.querySelectorAll('#chart b').length,
    img: document.querySelectorAll('img').length,
    violations: window.__csp.violations,
    frame: window.__csp.chart.describe(),
  }));
  assert.deepEqual([found.bold, found.img], [0, 0], 'API and page text never becomes markup');
  assert.deepEqual(found.violations, []);
  assert.equal(found.frame.pointsInView, 600);
  assert.deepEqual(problems, []);
  await page.close();
});

test("without 'wasm-unsafe-eval' init() fails, as the README warns", async () => {
  const { page } = await openWith(STRICT.replace(" 'wasm-unsafe-eval'", ''));
  assert.match(await page.evaluate(() => window.__csp.state), /^failed: .*WebAssembly/);
  await page.close();
});

test('<saba-plot> under the same strict policy: styled, loaded and drawn with no violation', async () => {
  const { page, problems } = await openPage(context.browser, { viewport: { width: 900, height: 400 } });
  const headers = { 'content-security-policy': STRICT };
  const body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>csp</title>
<script type="module" src="/csp/element.js"></script></head>
<body><saba-plot host="3yAYEDLXKL5" metric="loadavg5" range="3h" title="&lt;img src=x onerror=alert(1)&gt;"></saba-plot></body></html>`;
  const main = `window.__csp = { violations: [] };
document.addEventListener('securitypolicyviolation', (e) => window.__csp.violations.push(e.violatedDirective + ' ' + e.blockedURI));
document.addEventListener('load', (e) => { if (e.target.localName === 'saba-plot') window.__csp.loaded = e.detail.errors; }, true);
await import('/pkg/element.js');`;
  await page.route('**/csp/page.html', (route) => route.fulfill({ contentType: 'text/html', headers, body }));
  await page.route('**/csp/element.js', (route) => route.fulfill({ contentType: 'text/javascript', headers, body: main }));
  await page.goto(`${context.server.url}csp/page.html`);
  await page.waitForFunction(() => window.__csp?.loaded);
  const seen = await page.evaluate(() => {
    const el = document.querySelector('saba-plot');
    return { errors: window.__csp.loaded, violations: window.__csp.violations,
      height: el.getBoundingClientRect().height, runs: el.chart.describe().runsDrawn,
      img: document.querySelectorAll('img').length + el.shadowRoot.querySelectorAll('img').length };
  });
  // 300 px tall: the element's own sheet applied.
  assert.deepEqual(seen, { errors: [], violations: [], height: 300, runs: seen.runs, img: 0 });
  assert.ok(seen.runs > 0);
  assert.deepEqual(problems, []);
  await page.close();
});
