// Page benchmarks (issue 5): time until the page is interactive, against a bare Leptos counter
// built with the same release profile and served the same way, and the time from a keystroke
// in the wizard to every artifact regenerated and shown. Reports medians; asserts nothing.
//
// Usage: node bench/page.mjs APP_URL BARE_URL [RUNS]
import { chromium } from 'playwright-core';

const [appUrl, bareUrl, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg ?? 15);
const KEYSTROKES = 200;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
    ...(process.env.CHROMIUM_ARGS ?? '').split(' ').filter(Boolean)],
});

// Records performance.now() (milliseconds since navigation start) when `ready()` first holds.
function readyProbe(selector, pattern) {
  return `(() => {
    const ready = () => { const el = document.querySelector(${JSON.stringify(selector)}); return el && ${pattern ? `/${pattern}/.test(el.textContent)` : 'true'}; };
    const mark = () => { if (window.__interactive === undefined && ready()) { window.__interactive = performance.now(); obs.disconnect(); } };
    const obs = new MutationObserver(mark);
    obs.observe(document, { subtree: true, childList: true, characterData: true });
  })();`;
}

async function timeToInteractive(url, selector, pattern) {
  // A fresh context each run: empty cache, no service worker, like a first visit.
  const context = await browser.newContext();
  await context.addInitScript(readyProbe(selector, pattern));
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__interactive !== undefined, null, { timeout: 60000 });
  const ms = await page.evaluate(() => window.__interactive);
  await context.close();
  return ms;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

const app = [];
const bare = [];
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so both pages see the same machine load.
  bare.push(await timeToInteractive(bareUrl, '#count'));
  app.push(await timeToInteractive(appUrl, 'pre.artifact', 'packages\\.buildkite\\.com'));
}

// Keystrokes: set the organization field, fire `input`, and wait until the shown artifact
// (pipeline.yml, which holds the audience) has been regenerated with the new value.
const context = await browser.newContext();
const page = await context.newPage();
await page.goto(appUrl);
await page.waitForSelector('pre.artifact');
await page.getByRole('button', { name: /^\d\. Registry/ }).click();
const keystrokes = await page.evaluate(async (n) => {
  const input = document.querySelector('#f-registry-buildkite_packages-org');
  const pre = () => document.querySelector('pre.artifact').textContent;
  const out = [];
  for (let i = 0; i < n; i++) {
    const value = `org${i}x`;
    const t0 = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    let spins = 0;
    while (!pre().includes(`/${value}/`)) {
      // Leptos runs effects as microtasks; fall back to a macrotask if they are not done.
      if (++spins < 1000) await Promise.resolve(); else await new Promise((r) => setTimeout(r, 0));
    }
    out.push(performance.now() - t0);
  }
  return out;
}, KEYSTROKES);
await context.close();
await browser.close();

const f = (x) => x.toFixed(1);
const ratio = median(app) / median(bare);
console.log(`| measurement | median | p90 | runs |`);
console.log(`| --- | --- | --- | --- |`);
console.log(`| bare Leptos counter: interactive after | ${f(median(bare))} ms | ${f(pct(bare, 0.9))} ms | ${RUNS} |`);
console.log(`| Kaniko Studio: artifacts shown after | ${f(median(app))} ms | ${f(pct(app, 0.9))} ms | ${RUNS} |`);
console.log(`| ratio (target ≤ 1.25) | ${ratio.toFixed(2)}× | | |`);
console.log(`| keystroke → every artifact regenerated and shown (target ≤ 1 ms) | ${keystrokes.length ? median(keystrokes).toFixed(3) : '-'} ms | ${pct(keystrokes, 0.9).toFixed(3)} ms | ${KEYSTROKES} |`);
