// Shared by the end-to-end tests and the browser benchmarks: the demo server
// on a free loopback port, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { before, after } from 'node:test';

export const root = fileURLToPath(new URL('../../', import.meta.url));

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Starts the demo server (PORT=0) and resolves to { url, stop, faults }.
 * `env` adds variables: SABAPLOT_FAULTS turns fault injection on, and then
 * `faults(rules)` replaces the rules (see server/src/faults.rs).
 */
export function startServer(env = {}, bin = process.env.SERVER_BIN ?? `${root}target/release/sabaplot-server`) {
  const server = spawn(bin, [], { cwd: root, env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('demo server did not start within 10 s')), 10_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (match) {
        clearTimeout(timer);
        const url = match[0];
        const faults = async (rules) => {
          const response = await fetch(`${url}_faults`, { method: 'POST', body: rules });
          if (response.status !== 204) throw new Error(`fault rules refused: ${await response.text()}`);
        };
        resolve({ url, stop: () => server.kill(), faults });
      }
    });
    server.on('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  });
}

/** Debian's Chromium, headless; `extraArgs` are added to the usual flags. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Waits until the host page has drawn (or, with 'error', failed). */
export async function waitForState(page, state) {
  await page.waitForFunction((s) => ['drawn', 'error'].includes(window.__sabaplot?.state)
    && (s !== 'drawn' || window.__sabaplot.state === 'drawn'), state, { timeout: 90_000 });
  return page.evaluate(() => window.__sabaplot.state);
}

/**
 * For a test file: the demo server (with `env`) and Chromium, started before
 * its tests and stopped after; read `.server` and `.browser` in the tests.
 */
export function serverAndBrowser(env = {}) {
  const context = { server: null, browser: null };
  before(async () => {
    context.server = await startServer(env);
    context.browser = await launchBrowser();
  });
  after(async () => {
    await context.browser?.close();
    context.server?.stop();
  });
  return context;
}
