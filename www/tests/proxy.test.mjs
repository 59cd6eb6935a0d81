// Proxy mode: the demo server forwards /api/v0/ to an upstream
// Mackerel-compatible API that asks for an API key, adding the key from its
// environment. The page loads through it; the key never reaches the browser,
// never goes to another host (a redirecting upstream), never goes to a path
// outside /api/v0/, and nothing the upstream sends reaches the browser as HTML.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, launchBrowser, openPage, LAST_MINUTE, servedMinutes } from './harness.mjs';

const KEY = 'key-that-stays-on-the-server-4f9c';
let upstream, proxy, browser;
/** A hostile upstream (redirects, text and HTML answers) and a bystander host, each recording what reaches it. */
let hostile, bystander, hostileProxy;

/** A node HTTP server on loopback answering with `handler`, recording each request's path and headers. */
function recordingServer(handler) {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url, headers: req.headers });
    handler(req, res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, seen, close: () => server.close() });
  }));
}

/** GET `path` exactly as written (no normalisation of `..` or `%2e`). */
function rawGet(url, path) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    http.get({ hostname, port, path }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject);
  });
}

before(async () => {
  upstream = await startServer({ SABAPLOT_REQUIRE_API_KEY: KEY });
  proxy = await startServer({ SABAPLOT_MACKEREL_URL: upstream.url, MACKEREL_APIKEY: KEY });
  bystander = await recordingServer((req, res) => res.end('{"stolen":true}'));
  hostile = await recordingServer((req, res) => {
    if (req.url.startsWith('/api/v0/hosts/redirect')) {
      res.writeHead(302, { Location: `${bystander.url}/collect` }).end();
    } else if (req.url.startsWith('/api/v0/hosts/samehost')) {
      res.writeHead(307, { Location: '/admin/secret' }).end();
    } else if (req.url.startsWith('/api/v0/hosts/html')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<script>window.__pwned = 1</script>');
    } else {
      // A plain-text 404 that echoes the path, as some servers do.
      res.writeHead(404, { 'Content-Type': 'text/plain', 'Set-Cookie': 'session=upstream' })
        .end(`no such page: ${decodeURIComponent(req.url)}`);
    }
  });
  hostileProxy = await startServer({ SABAPLOT_MACKEREL_URL: hostile.url, MACKEREL_APIKEY: KEY });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await Promise.all([proxy?.stop(), upstream?.stop(), hostileProxy?.stop()]);
  hostile?.close();
  bystander?.close();
});

test('the proxy adds the API key server-side; the browser never sees it', async () => {
  const direct = await fetch(`${upstream.url}api/v0/hosts`);
  assert.equal(direct.status, 401, 'the upstream asks for the key');
  assert.match((await direct.json()).error.message, /Authentication failed/);

  const { page } = await openPage(browser);
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
  // The embed page loads the day ending at the pinned minute, web-01's loadavg5.
  const served = await servedMinutes(proxy.url, '3yAYEDLXKL5', 'loadavg5', LAST_MINUTE - 86_400, LAST_MINUTE);
  assert.equal(Number(status.split(' ')[0]), served.length, status);
  assert.ok(bodies.length >= 2);
  for (const headers of seen) {
    assert.ok(!Object.keys(headers).some((h) => h.toLowerCase() === 'x-api-key'), 'no key in a request');
    assert.ok(!Object.values(headers).some((v) => v.includes(KEY)), 'the key is in no header');
  }
  assert.ok(bodies.every((b) => !b.includes(KEY)), 'the key is in no answer');
  await page.close();
});

test('a redirecting upstream never gets the key sent to another host, nor to another path', async () => {
  for (const path of ['/api/v0/hosts/redirect/metrics?name=x&from=1&to=2', '/api/v0/hosts/samehost/metrics?name=x&from=1&to=2']) {
    const r = await rawGet(hostileProxy.url, path);
    assert.equal(r.status, 502, path);
    assert.match(JSON.parse(r.body).error.message, /does not follow redirects/);
  }
  assert.deepEqual(bystander.seen, [], 'the other host was never asked');
  assert.ok(hostile.seen.every((s) => s.path.startsWith('/api/v0/hosts/')), JSON.stringify(hostile.seen.map((s) => s.path)));
  assert.equal(hostile.seen.length, 2, 'one request each; the redirects were not followed');
});

test('paths that leave /api/v0/ are refused before the upstream is asked', async () => {
  const before = hostile.seen.length;
  for (const path of ['/api/v0/../../admin/secret', '/api/v0/%2e%2e/%2e%2e/admin/secret', '/api/v0/%2E%2E/admin',
    '/api/v0/hosts/..%2f..%2fadmin/metrics', '/api/v0/hosts/%252e%252e/metrics', '/api/v0/hosts/..%5c..%5cadmin/metrics',
    '/api/v0/./hosts', '/api/v0/admin/secret', '/api/v0/hosts/x/retire']) {
    const r = await rawGet(hostileProxy.url, path);
    assert.equal(r.status, 404, path);
    assert.equal(r.headers['content-type'], 'application/json', path);
    assert.ok(!r.body.includes('admin'), `${path}: ${r.body}`);
  }
  assert.equal(hostile.seen.length, before, 'the upstream was never asked');
});

test('an upstream text or HTML answer never reaches the browser as HTML', async () => {
  const payload = encodeURIComponent('<img src=x onerror="window.__pwned=1">');
  const text = await rawGet(hostileProxy.url, `/api/v0/hosts/${'a'.repeat(8)}/metrics?name=${payload}`);
  assert.equal(text.status, 404);
  assert.equal(text.headers['content-type'], 'application/json');
  assert.equal(text.headers['x-content-type-options'], 'nosniff');
  assert.equal(text.headers['set-cookie'], undefined, 'upstream cookies are not passed on');
  assert.match(JSON.parse(text.body).error.message, /answered HTTP 404 with text\/plain, not JSON/);
  assert.ok(!text.body.includes('<img'), text.body);

  // Opened in the browser as a page, neither runs script.
  const { page } = await openPage(browser);
  for (const path of [`/api/v0/hosts/aaaa/metrics?name=${payload}`, '/api/v0/hosts/html/metrics?name=x&from=1&to=2']) {
    const response = await page.goto(`${hostileProxy.url}${path.slice(1)}`);
    assert.equal(response.headers()['content-type'], 'application/json', path);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, `${path}: no script ran`);
  }
  await page.close();
});
