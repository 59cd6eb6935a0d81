// The demo server as a client on the network finds it: static files without
// traversal, negotiated compression, HEAD and OPTIONS, opt-in CORS, request
// smuggling patterns refused, every request's work bounded (absurd times,
// a time budget, a client that leaves), slow clients that cannot starve the
// others, and answers that are never lost under concurrent browser loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { serverAndBrowser, startServer, openPage, LAST_MINUTE, servedMinutes } from './harness.mjs';

// A short header timeout, so the slow clients' test sees them closed.
const context = serverAndBrowser({ SABAPLOT_HEADER_TIMEOUT_S: '2' });
const WEB_01 = '3yAYEDLXKL5';

/** Sends `raw` on a new connection and resolves to the status line of the answer. */
function rawStatus(url, raw) {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
    let data = '';
    socket.setTimeout(5_000, () => { socket.destroy(); reject(new Error(`no answer to ${JSON.stringify(raw)}`)); });
    socket.on('data', (d) => {
      data += d;
      if (data.includes('\r\n')) { socket.destroy(); resolve(data.split('\r\n')[0]); }
    });
    socket.on('error', reject);
  });
}

/** GET `path` exactly as written, resolving to { status, headers, body, ms }. */
function rawGet(url, path, headers = {}) {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http.get({ hostname, port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body, ms: performance.now() - started }));
    }).on('error', reject);
  });
}

/** CPU seconds (user + system) the server process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 20 s) until the server uses no CPU for 300 ms: its start-up summaries are built. */
async function idle(pid) {
  for (let i = 0; i < 66; i++) {
    const cpu = cpuSeconds(pid);
    await sleep(300);
    if (cpuSeconds(pid) - cpu < 0.02) return;
  }
  throw new Error('the server never became idle');
}

test('nothing outside www/ and pkg/ is served, however the path is written', async () => {
  for (const path of ['/../Cargo.toml', '/%2e%2e/Cargo.toml', '/%252e%252e/Cargo.toml', '/..%2fCargo.toml',
    '/..%5cCargo.toml', '/..\\Cargo.toml', '/pkg/../Cargo.toml', '/pkg/%2e%2e/Cargo.toml', '/pkg/..%2f..%2fCargo.toml',
    '/%2e%2e%2f%2e%2e%2fCargo.toml', '/www/../Cargo.toml']) {
    const r = await rawGet(context.server.url, path);
    assert.equal(r.status, 404, path);
    assert.ok(!r.body.includes('[package]'), path);
  }
  const page = await rawGet(context.server.url, '/');
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  const wasm = await rawGet(context.server.url, '/pkg/sabaplot_bg.wasm');
  assert.equal(wasm.headers['content-type'], 'application/wasm');
});

test('answers are compressed as the client asks (curl --compressed, gzip, br)', async () => {
  const url = `${context.server.url}api/v0/hosts/${WEB_01}/metrics?name=loadavg5&from=${LAST_MINUTE - 71_940}&to=${LAST_MINUTE}`;
  const minutes = (await servedMinutes(context.server.url, WEB_01, 'loadavg5', LAST_MINUTE - 71_940, LAST_MINUTE)).length;
  const curl = (...args) => {
    const [head, body] = execFileSync('curl', ['-s', '--compressed', '-D', '-', ...args, url], { encoding: 'utf8' }).split('\r\n\r\n');
    return { encoding: /^content-encoding: (\S+)$/mi.exec(head)?.[1], points: JSON.parse(body).metrics.length };
  };
  // curl offers what it can decode (br among them here); a client that
  // offers only gzip, as most HTTP libraries do, gets gzip.
  assert.deepEqual(curl(), { encoding: 'br', points: minutes });
  assert.deepEqual(curl('-H', 'Accept-Encoding: gzip'), { encoding: 'gzip', points: minutes });
  const br = await rawGet(context.server.url, '/main.js', { 'Accept-Encoding': 'br' });
  assert.equal(br.headers['content-encoding'], 'br');
  const plain = await rawGet(context.server.url, '/main.js');
  assert.equal(plain.headers['content-encoding'], undefined, 'nothing asked, nothing compressed');
});

test('HEAD and OPTIONS are answered', async () => {
  const head = await fetch(`${context.server.url}api/v0/hosts`, { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  const post = await fetch(`${context.server.url}api/v0/hosts`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.deepEqual(await post.json(), { error: { message: 'Method Not Allowed.' } });
  const options = await fetch(`${context.server.url}api/v0/hosts`, { method: 'OPTIONS' });
  assert.equal(options.status, 204);
  assert.equal(options.headers.get('allow'), 'GET, HEAD, OPTIONS');
  assert.equal(options.headers.get('access-control-allow-origin'), null, 'no CORS unless asked for');
});

test('request smuggling patterns are refused with 400', async () => {
  const body = 'error=500';
  for (const [name, head] of [
    ['two different Content-Length', `Content-Length: ${body.length}\r\nContent-Length: 44`],
    ['space before the colon', 'Content-Length : 44'],
    ['a folded header line', ` Content-Length: 44`],
    ['Transfer-Encoding with a space before the colon', 'Transfer-Encoding : chunked'],
    ['a signed Content-Length', `Content-Length: +${body.length}`],
    ['Transfer-Encoding and Content-Length', `Transfer-Encoding: chunked\r\nContent-Length: ${body.length}`],
  ]) {
    const status = await rawStatus(context.server.url, `POST /_faults HTTP/1.1\r\nHost: x\r\n${head}\r\n\r\n${body}`);
    assert.match(status, /^HTTP\/1\.1 400 /, name);
  }
  assert.match(await rawStatus(context.server.url, 'GET / HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400 /, 'no Host');
  assert.match(await rawStatus(context.server.url, 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'), /^HTTP\/1\.1 400 /, 'two Hosts');
  assert.match(await rawStatus(context.server.url, `GET /?${'a'.repeat(9_000)} HTTP/1.1\r\nHost: x\r\n\r\n`), /^HTTP\/1\.1 414 /);
  assert.match(await rawStatus(context.server.url, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'), /^HTTP\/1\.1 200 /);
});

test('absurd times are refused at once and leave no work behind', async () => {
  await idle(context.server.pid);
  const cpu = cpuSeconds(context.server.pid);
  for (const [path, words] of [
    ['/api/v1/query_range?query=loadavg5%7Binstance%3D%22web-01%22%7D&start=-1e19&end=-1e19&step=60', 'cannot parse "-1e19"'],
    ['/api/v1/query_range?query=loadavg5&start=-9.3e18&end=1&step=60', 'cannot parse "-9.3e18"'],
    ['/api/v1/query_range?query=loadavg5&start=1e300&end=1e300&step=60', 'cannot parse "1e300"'],
    ['/api/v1/query_range?query=loadavg5&start=-1e300&end=1e300&step=1e300', 'cannot parse "-1e300"'],
    [`/api/v0/hosts/${WEB_01}/metrics?name=loadavg5&from=-9223372036854775808&to=9223372036854775807`, 'from and to must be epoch seconds'],
    [`/api/v0/graph-annotations?service=shop&from=0&to=9223372036854775807`, 'from and to must be epoch seconds'],
    ['/api/v1/query_range?query=%7B__name__%3D~%22.%2B%22%7D&start=0&end=660000&step=60', 'at most 100 series'],
  ]) {
    const r = await rawGet(context.server.url, path);
    assert.equal(r.status, 400, path);
    const body = JSON.parse(r.body);
    assert.ok((body.error?.message ?? body.error).includes(words), `${path}: ${r.body}`);
    assert.ok(r.ms < 100, `${path} answered in ${r.ms.toFixed(0)} ms`);
  }
  await sleep(1_000);
  const used = cpuSeconds(context.server.pid) - cpu;
  assert.ok(used < 0.05, `the server used ${used} s of CPU after answering`);
});

test('a request over its time budget is a 503 in the API\'s own words, and a client that leaves stops its work', async () => {
  const tight = await startServer({ SABAPLOT_REQUEST_BUDGET_MS: '5' });
  // 32 series × 11,001 points of the maximum over 75 hours: a second of work.
  const heavy = `/api/v1/query_range?${new URLSearchParams({
    query: 'max_over_time({role="web",__name__=~"loadavg5|cpu_user_percentage"}[75h])',
    start: LAST_MINUTE - 11_000 * 60, end: LAST_MINUTE, step: 60 })}`;
  try {
    const r = await rawGet(tight.url, heavy);
    assert.equal(r.status, 503);
    assert.deepEqual(JSON.parse(r.body), { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
    const m = await rawGet(tight.url, `/api/v0/hosts/${WEB_01}/metrics?name=custom.ecs.api-1.port.8080&from=${LAST_MINUTE - 460 * 86_400}&to=${LAST_MINUTE}`);
    assert.equal(m.status, 503);
    assert.match(JSON.parse(m.body).error.message, /ran out of time/);
  } finally {
    await tight.stop();
  }

  // The same request in full, then left after 300 ms: the server stops soon after.
  await idle(context.server.pid);
  let cpu = cpuSeconds(context.server.pid);
  const full = await rawGet(context.server.url, heavy);
  assert.equal(full.status, 200);
  const fullCpu = cpuSeconds(context.server.pid) - cpu;
  assert.ok(fullCpu > 0.5, `the request is heavy enough to tell: ${fullCpu} s`);
  const controller = new AbortController();
  const left = fetch(`${context.server.url}${heavy.slice(1)}`, { signal: controller.signal }).catch((e) => e.name);
  await sleep(300);
  controller.abort();
  assert.equal(await left, 'AbortError');
  await sleep(100);
  cpu = cpuSeconds(context.server.pid);
  await sleep(1_000);
  const after = cpuSeconds(context.server.pid) - cpu;
  assert.ok(after < 0.1 * fullCpu, `after the client left the server used ${after} s (the whole answer takes ${fullCpu} s)`);
});

test('300 slow clients holding connections do not stop a normal request, and are closed after the header timeout', async () => {
  const { port } = new URL(context.server.url);
  const slow = await Promise.all(Array.from({ length: 300 }, () => new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      resolve(socket);
    });
    socket.on('error', () => {});
    socket.once('error', reject);
  })));
  const closed = slow.map((s) => new Promise((r) => s.once('close', r)));
  // A byte now and then, never the end of the head.
  const drip = setInterval(() => { for (const s of slow) if (!s.destroyed) s.write('X'); }, 500);
  try {
    const started = performance.now();
    const r = await fetch(`${context.server.url}api/v0/hosts`);
    assert.equal(r.status, 200);
    const ms = performance.now() - started;
    assert.ok(ms < 1_000, `answered in ${ms.toFixed(0)} ms beside 300 slow clients`);
    // Connections are tasks, not threads: 300 open ones cost no thread each.
    const threads = Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${context.server.pid}/status`, 'utf8'))[1]);
    assert.ok(threads < 40, `${threads} threads serve 301 connections`);
    // The server's header timeout is 2 s here: all are gone well before 5 s.
    const deadline = sleep(5_000).then(() => 'timeout');
    assert.notEqual(await Promise.race([Promise.all(closed), deadline]), 'timeout', 'the slow clients were closed');
  } finally {
    clearInterval(drip);
    for (const s of slow) s.destroy();
  }
});

test('a cross-origin page reads the API only when SABAPLOT_CORS_ORIGIN allows its origin', async () => {
  const pageServer = await startServer();
  const origin = pageServer.url.replace(/\/$/, '');
  const open = await startServer({ SABAPLOT_CORS_ORIGIN: origin });
  try {
    const { page } = await openPage(context.browser);
    await page.goto(`${pageServer.url}embed.html?manual`);
    const read = (api) => page.evaluate(async (api) => {
      try {
        const r = await fetch(`${api}api/v0/hosts`);
        return (await r.json()).hosts.length;
      } catch (e) {
        return e.name;
      }
    }, api);
    assert.equal(await read(open.url), 18, 'allowed: the hosts are read');
    assert.equal(await read(context.server.url), 'TypeError', 'not allowed: the browser refuses the answer');
    const preflight = await fetch(`${open.url}api/v0/hosts`, { method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    const other = await fetch(`${open.url}api/v0/hosts`, { headers: { Origin: 'http://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), origin, 'only the allowed origin is ever named');
    await page.close();
  } finally {
    await Promise.all([pageServer.stop(), open.stop()]);
  }
});

test('SIGTERM lets the requests in flight finish, then the server exits', async () => {
  const stopping = await startServer({ SABAPLOT_FAULTS: 'latency=700' });
  const started = performance.now();
  const slow = fetch(`${stopping.url}api/v0/hosts`);
  await sleep(200);
  const exited = stopping.stop();
  const answer = await slow;
  assert.equal(answer.status, 200, 'the request in flight is answered');
  assert.equal((await answer.json()).hosts.length, 18);
  assert.equal(await exited, 0, 'a clean exit');
  assert.ok(performance.now() - started >= 700);
  await assert.rejects(fetch(`${stopping.url}api/v0/hosts`), 'no new connections after the stop');
});

test('concurrent browser loads get every answer, 10 runs of 10', async () => {
  const { page, problems } = await openPage(context.browser);
  await page.goto(`${context.server.url}embed.html?manual`);
  const to = LAST_MINUTE - 3_600;
  const from = to - 7 * 86_400;
  const expected = (await servedMinutes(context.server.url, WEB_01, 'loadavg5', from, to)).length;
  const runs = await page.evaluate(async ({ from, to }) => {
    const pkg = await import('/pkg/sabaplot.js');
    await pkg.default();
    const { Loader } = await import('/pkg/loader.js');
    const runs = [];
    for (let run = 0; run < 10; run++) {
      const chart = new pkg.Chart(document.getElementById('chart'), { timeZone: 'UTC' });
      const loader = new Loader(chart, { source: { api: 'mackerel', series: [{ name: 'web-01', host: '3yAYEDLXKL5', metric: 'loadavg5' }] },
        concurrency: 6, retries: 0 });
      const result = await loader.load({ from, to, width: 900 });
      chart.draw();
      runs.push({ errors: result.errors, requests: result.requests, points: chart.describe().pointsInView });
      chart.destroy();
      chart.free();
    }
    return runs;
  }, { from, to });
  assert.equal(runs.length, 10);
  for (const run of runs) {
    assert.deepEqual(run.errors, [], 'no request failed (retries are off)');
    assert.equal(run.points, expected, 'every minute of the 7 days');
  }
  assert.deepEqual(problems, []);
  await page.close();
});
