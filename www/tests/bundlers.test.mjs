// The package as a user's bundler gets it: the packed tarball in a
// node_modules of its own, and a small app (www/tests/bundlers/) built by
// Vite (its vanilla-ts template, `tsc` strict first, as its `npm run build`
// does), webpack 5 and esbuild; each build is opened in headless Chromium,
// must fetch the wasm it emitted and draw a chart with no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { launchBrowser, openPage, root } from './harness.mjs';

const VERSION = /^version = "([^"]+)"/m.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))[1];
const work = join(root, 'target/bundlers');
const bin = (name) => join(root, 'node_modules/.bin', name);
const ORIGIN = 'http://bundled.localhost';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Each bundler's build, and the folder it writes the site to. */
const BUILDS = {
  vite: (dir) => {
    // Vite starts from index.html: the fixtures' page, with the TypeScript entry.
    const page = readFileSync(join(work, 'page.html'), 'utf8');
    writeFileSync(join(dir, 'index.html'), page.replace('./main.js', './main.ts'));
    execFileSync(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
    execFileSync(bin('vite'), ['build', '--logLevel', 'warn', '--outDir', 'dist'], { cwd: dir, stdio: 'inherit' });
  },
  webpack: (dir) => {
    execFileSync(bin('webpack'), ['--config', join(dir, 'webpack.config.mjs')], { cwd: dir, stdio: 'pipe' });
    cpSync(join(work, 'page.html'), join(dir, 'dist/index.html'));
  },
  esbuild: (dir) => {
    execFileSync(bin('esbuild'), ['main.js', '--bundle', '--format=esm', '--loader:.wasm=file',
      '--outdir=dist', '--log-level=warning'], { cwd: dir, stdio: 'inherit' });
    cpSync(join(work, 'page.html'), join(dir, 'dist/index.html'));
  },
};

let browser;
const built = {};

before(async () => {
  rmSync(work, { recursive: true, force: true });
  cpSync(join(root, 'www/tests/bundlers'), work, { recursive: true });
  const tarball = join(root, `target/sabaplot-${VERSION}.tgz`);
  mkdirSync(join(work, 'node_modules/sabaplot'), { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', join(work, 'node_modules/sabaplot'), '--strip-components=1']);
  for (const [name, build] of Object.entries(BUILDS)) {
    const dir = join(work, name);
    const t0 = performance.now();
    build(dir);
    const files = readdirSync(join(dir, 'dist'), { recursive: true }).filter((f) => statSync(join(dir, 'dist', f)).isFile());
    built[name] = { ms: performance.now() - t0, files };
    console.log(`${name}: built in ${(built[name].ms / 1000).toFixed(1)} s: ${files.join(', ')}`);
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

for (const name of Object.keys(BUILDS)) {
  test(`${name}: the build draws a chart, with the wasm it emitted`, async () => {
    const dist = join(work, name, 'dist');
    const { page, problems } = await openPage(browser, { viewport: { width: 900, height: 400 } });
    const served = [];
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = normalize(decodeURIComponent(new URL(route.request().url()).pathname));
      const file = join(dist, path === '/' ? 'index.html' : path);
      if (!file.startsWith(dist)) return route.fulfill({ status: 403, body: 'outside the build' });
      try {
        const body = readFileSync(file);
        served.push(path);
        return route.fulfill({ body, contentType: TYPES[extname(file)] ?? 'application/octet-stream' });
      } catch {
        served.push(`${path} 404`);
        return route.fulfill({ status: 404, body: 'not found' });
      }
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => window.fixture, null, { timeout: 30_000 });
    const frame = await page.evaluate(() => window.fixture);
    assert.equal(frame.pointsInView, 1_440);
    assert.ok(frame.runsDrawn >= 1 && frame.verticesDrawn > 100, JSON.stringify(frame));
    const wasm = served.filter((p) => p.endsWith('.wasm'));
    assert.equal(wasm.length, 1, served.join('\n'));
    assert.ok(built[name].files.includes(wasm[0].slice(1)), `${wasm[0]} is in the build: ${built[name].files}`);
    assert.deepEqual(served.filter((p) => p.endsWith(' 404')), []);
    // Ink in the plot: the line is drawn.
    const ink = await page.evaluate(() => {
      const canvas = document.querySelector('#chart canvas');
      const d = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 100 && d[i + 2] - d[i] > 60) n++;
      return n;
    });
    assert.ok(ink > 500, `${ink} pixels of the line`);
    assert.deepEqual(problems, []);
    await page.close();
  });
}
