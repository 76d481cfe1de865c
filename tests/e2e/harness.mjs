// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080/';
export const ARTIFACTS = process.env.E2E_ARTIFACTS ?? join(tmpdir(), 'kaniko-studio-e2e');

const require = createRequire(import.meta.url);

/**
 * Launch Chromium headless, with flags that work as root on a machine without internet.
 * Playwright gives every launch a fresh, empty profile directory.
 */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/**
 * Open the page and wait for the app to mount. Records console errors, page errors, every
 * request the page makes (`requests`) and every request to a host other than the page's own
 * (`foreignRequests`), so tests can assert what is fetched and that nothing leaves.
 * `serviceWorkers: 'block'` lets a test intercept the page's requests with `page.route`.
 */
export async function openApp(browser, { path = '', colorScheme = 'light', viewport, serviceWorkers = 'allow', setup } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: viewport ?? { width: 1280, height: 900 }, serviceWorkers });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const foreignRequests = [];
  const origin = new URL(BASE_URL).origin;
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('request', (req) => {
    const url = req.url();
    requests.push(url);
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
  });
  if (setup) await setup(page);
  await page.goto(new URL(path, BASE_URL).href);
  await page.waitForSelector('#main', { timeout: 30000 });
  return { context, page, problems, requests, foreignRequests };
}

/** Run axe-core in the page; returns violations of serious or critical impact. */
export async function seriousA11yViolations(page) {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const result = await page.evaluate(async () => await globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
