// The troubleshooter page, driven in a real Chromium: logs, tokens, policies, pipelines, the guide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openApp, seriousA11yViolations, ARTIFACTS, BASE_URL } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT (unsigned garbage signature) with the given audience, valid for 300 s from now. */
function token(aud) {
  const now = Math.floor(Date.now() / 1000);
  return [
    b64url({ alg: 'RS256', kid: 'e2e', typ: 'JWT' }),
    b64url({
      iss: 'https://agent.buildkite.com', sub: 'organization:acme:pipeline:app:ref:refs/heads/main',
      aud, iat: now, nbf: now, exp: now + 300,
      organization_slug: 'acme', pipeline_slug: 'app', build_branch: 'main', build_number: 42,
    }),
    Buffer.from('not a real signature').toString('base64url'),
  ].join('.');
}

const AUD_LOG = [
  '~~~ Running Kaniko',
  '\u001b[36mINFO\u001b[0m[0012] Taking snapshot of full filesystem...',
  'error pushing image: failed to push to destination packages.buildkite.com/acme/docker-images/app:1: UNAUTHORIZED: Invalid \'aud\' claim',
  '🚨 Error: The command exited with status 1',
].join('\r\n');

const POLICY = `- iss: https://agent.buildkite.com
  scopes: [read_packages]
  claims:
    organization_slug: acme
- iss: https://agent.buildkite.com
  scopes: [read_packages, write_packages]
  claims:
    organization_slug: acme
    pipeline_slug: app
`;

const PIPELINE = `steps:
  - label: ":docker: build"
    command: |
      buildkite-agent oidc request-token --lifetime 300 > /tmp/token
      /kaniko/executor --destination packages.buildkite.com/acme/docker-images/app:1
`;

async function openTroubleshooter(options) {
  const opened = await openApp(browser, options);
  await opened.page.click('#tab-troubleshoot');
  await opened.page.waitForSelector('#ts-tab-log');
  return opened;
}

async function showPanel(page, slug) {
  await page.click(`#ts-tab-${slug}`);
  await page.waitForSelector(`#ts-panel-${slug}:not([hidden])`);
}

test('the first page load carries only the wizard; the troubleshooter loads from this origin when its tab opens', async () => {
  const { context, page, problems, requests, foreignRequests } = await openApp(browser);
  await page.waitForSelector('#tab-troubleshoot');
  const lazy = (urls) => urls.filter((u) => u.includes('kaniko-studio-troubleshoot')).map((u) => new URL(u).pathname.split('/').pop());
  assert.deepEqual(lazy(requests), [], 'the troubleshooter is not fetched with the page');
  await page.click('#tab-troubleshoot');
  await page.waitForSelector('#ts-tab-log');
  assert.deepEqual(lazy(requests).sort(), ['kaniko-studio-troubleshoot.js', 'kaniko-studio-troubleshoot_bg.wasm']);
  assert.ok(requests.filter((u) => u.includes('kaniko-studio-troubleshoot')).every((u) => u.startsWith(new URL(BASE_URL).origin)));
  // Leaving and coming back mounts it again without fetching it again.
  await page.click('#tab-wizard');
  await page.click('#tab-troubleshoot');
  await page.waitForSelector('#ts-tab-log');
  assert.equal(lazy(requests).length, 2);
  assert.equal(await page.locator('#ts-prefill').count(), 1, 'mounted once');
  assert.deepEqual(problems, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('pointing at the Troubleshoot tab starts fetching the troubleshooter, once, before the click', async () => {
  const { context, page, requests, problems } = await openApp(browser);
  await page.waitForSelector('#tab-troubleshoot');
  const lazy = () => requests.filter((u) => u.includes('kaniko-studio-troubleshoot'));
  assert.equal(lazy().length, 0, 'not fetched with the page');
  await page.hover('#tab-troubleshoot');
  for (let i = 0; i < 100 && lazy().length < 2; i++) await page.waitForTimeout(50);
  assert.equal(lazy().length, 2, 'the JS and the wasm are fetched on hover');
  assert.equal(await page.locator('#ts-tab-log').count(), 0, 'nothing is shown until the tab opens');
  await page.click('#tab-troubleshoot');
  await page.waitForSelector('#ts-tab-log');
  assert.equal(lazy().length, 2, 'fetched once');
  assert.deepEqual(problems, []);
  await context.close();
});

test('while the troubleshooter loads the tab says so, and if it cannot load the error is clear and the wizard keeps working', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const { context, page } = await openApp(browser, {
    serviceWorkers: 'block',
    setup: (p) => p.route('**/kaniko-studio-troubleshoot.js', async (route) => { await gate; await route.abort('internetdisconnected'); }),
  });
  await page.click('#tab-troubleshoot');
  await page.waitForSelector('#main [role="status"]');
  assert.match(await page.textContent('#main'), /Loading the troubleshooter…/);
  release();
  await page.waitForSelector('#troubleshoot-error');
  const error = await page.textContent('#troubleshoot-error');
  assert.match(error, /The troubleshooter could not be loaded/);
  assert.match(error, /try again/);
  assert.equal(await page.getAttribute('#troubleshoot-error', 'role'), 'alert');
  assert.deepEqual(await seriousA11yViolations(page), []);
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-load-failed.png'), fullPage: true });
  // Back on the network, "Try again" loads it without a reload.
  await page.unroute('**/kaniko-studio-troubleshoot.js');
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.waitForSelector('#log-input', { state: 'attached' });
  assert.equal(await page.$('#troubleshoot-error'), null);
  await page.click('#tab-wizard');
  await page.waitForSelector('pre.artifact');
  assert.match(await page.textContent('pre.artifact'), /kaniko/);
  await context.close();
});

test('a log with Invalid aud claim gives the finding, its line and its causes', async () => {
  const { context, page, problems, foreignRequests } = await openTroubleshooter();
  await showPanel(page, 'log');
  await page.fill('#log-input', AUD_LOG);
  await page.waitForFunction(() => document.getElementById('log-status')?.textContent.startsWith('Read'));
  assert.match(await page.textContent('#log-status'), /Read 4 lines: 1 finding/);
  const findings = await page.textContent('#log-findings');
  assert.match(findings, /KS670/);
  assert.match(findings, /line 3/);
  assert.match(findings, /Likely causes/);
  assert.match(findings, /Confidence: high/);
  await page.click('#log-findings button.line-link');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'log-input');
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-log.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('a 10 MB log shows a working state, then the finding and the lines read', async () => {
  const { context, page, problems } = await openTroubleshooter();
  await showPanel(page, 'log');
  const during = await page.evaluate(async () => {
    const area = document.getElementById('log-input');
    const line = 'INFO[0042] Unpacking rootfs as cmd RUN apt-get install -y build-essential requires it.\n';
    area.value = line.repeat(Math.ceil(10_000_000 / line.length))
      + 'error checking push permissions: POST https://packages.buildkite.com/v2/acme/docker-images/blobs/uploads/: unexpected status code 401 Unauthorized\n';
    area.dispatchEvent(new Event('input'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    return document.getElementById('log-status').textContent;
  });
  assert.match(during, /Working…/);
  await page.waitForFunction(() => document.getElementById('log-status')?.textContent.startsWith('Read'), null, { timeout: 120000 });
  const status = await page.textContent('#log-status');
  assert.match(status, /Read 1\d{5} lines: [1-9]\d* finding/);
  assert.match(await page.textContent('#log-findings'), /KS6\d\d/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a token with the wrong audience is explained, and pasting it makes no network request', async () => {
  const { context, page, problems } = await openTroubleshooter();
  await showPanel(page, 'token');
  assert.match(await page.textContent('#token-privacy'), /never sent anywhere/);
  assert.match(await page.textContent('#token-privacy'), /signature is not verified/);
  assert.match(await page.textContent('#token-audience-note'), /https:\/\/packages\.buildkite\.com\/acme\/docker-images/);
  const requests = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.fill('#token-input', `Bearer ${token('https://buildkite.com/acme')}`);
  await page.waitForFunction(() => document.getElementById('token-results')?.textContent.includes('KS510'));
  const results = await page.textContent('#token-results');
  assert.match(results, /https:\/\/buildkite\.com\/acme/);
  assert.match(await page.textContent('#token-claims'), /UTC/);
  assert.match(await page.textContent('#token-claims'), /organization_slug/);
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-token.png'), fullPage: true });
  await page.fill('#token-input', token('https://packages.buildkite.com/acme/docker-images'));
  await page.waitForFunction(() => document.getElementById('token-verdict')?.textContent.includes('No problem'));
  assert.deepEqual(requests, [], 'pasting a token must not cause any request');
  assert.deepEqual(problems, []);
  await context.close();
});

test('pasted text survives a visit to the wizard, and is never written to storage', async () => {
  const { context, page } = await openTroubleshooter();
  const jwt = token('https://buildkite.com/acme');
  await showPanel(page, 'token');
  await page.fill('#token-input', jwt);
  await showPanel(page, 'log');
  await page.fill('#log-input', AUD_LOG);
  await page.waitForSelector('#log-findings li');
  await page.click('#tab-wizard');
  await page.click('#tab-troubleshoot');
  await page.waitForSelector('#ts-panel-log:not([hidden]) #log-findings li');
  assert.match(await page.inputValue('#log-input'), /Invalid 'aud' claim/);
  assert.equal(await page.inputValue('#token-input'), jwt);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
  assert.ok(!stored.includes(jwt.split('.')[1]), 'the token is not stored');
  assert.ok(!stored.includes('Invalid'), 'the log is not stored');
  await context.close();
});

test('a policy shows the statement that matches first and why the others do not', async () => {
  const { context, page } = await openTroubleshooter();
  await showPanel(page, 'policy');
  await page.fill('#policy-input', POLICY);
  await page.fill('#claims-input', JSON.stringify({ iss: 'https://agent.buildkite.com', organization_slug: 'acme', pipeline_slug: 'web' }));
  await page.waitForSelector('#policy-verdict');
  assert.match(await page.textContent('#policy-verdict'), /Statement 1 matches first\. Scopes granted: read_packages\./);
  assert.match(await page.textContent('#policy-results'), /write_packages/);
  assert.match(await page.textContent('#policy-statements'), /pipeline_slug/);
  await page.fill('#claims-input', token('https://packages.buildkite.com/acme/docker-images'));
  await page.waitForFunction(() => document.getElementById('policy-verdict')?.textContent.includes('Statement 1'));
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-policy.png'), fullPage: true });
  assert.equal(await page.$('#policy-token-refused'), null, 'a good token is not refused');
  // A token for another registry: the policy matches, but the registry refuses it on its audience first.
  await page.fill('#claims-input', token('https://packages.buildkite.com/acme/other-registry'));
  await page.waitForSelector('#policy-token-refused');
  assert.match(await page.textContent('#policy-token-refused'), /refuses this token before reading it.*KS519/s);
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-policy-refused.png'), fullPage: true });
  await context.close();
});

test('a pipeline finding links to its line: the caret moves there', async () => {
  const { context, page } = await openTroubleshooter();
  await showPanel(page, 'pipeline');
  await page.fill('#pipeline-input', PIPELINE);
  await page.waitForSelector('#pipeline-findings button.line-link');
  const line = Number(await page.getAttribute('#pipeline-findings button.line-link', 'data-line'));
  assert.ok(line >= 1);
  await page.click('#pipeline-findings button.line-link');
  const caret = await page.evaluate(() => {
    const area = document.getElementById('pipeline-input');
    return { focused: document.activeElement === area, line: area.value.slice(0, area.selectionStart).split('\n').length };
  });
  assert.deepEqual(caret, { focused: true, line });
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-pipeline.png'), fullPage: true });
  await context.close();
});

test('a credential written into a pipeline is an error at its line, never shown back, and pasting it sends nothing', async () => {
  const { context, page } = await openTroubleshooter();
  await showPanel(page, 'pipeline');
  const sent = [];
  page.on('request', (r) => sent.push(r.url()));
  // AWS's documented example key id, as people paste it into `env`.
  const secret = 'AKIAIOSFODNN7EXAMPLE';
  await page.fill('#pipeline-input', `steps:\n  - command: make\n    env:\n      AWS_ACCESS_KEY_ID: ${secret}\n`);
  const finding = page.locator('#pipeline-findings li[data-rule="KS343"]');
  await finding.waitFor();
  assert.match(await finding.textContent(), /line 4:26.*looks like an AWS access key id/s);
  assert.doesNotMatch(await page.textContent('#pipeline-findings'), new RegExp(secret));
  assert.deepEqual(sent, [], 'nothing left the page');
  await context.close();
});

test('the guide asks what the user sees and leads to the panel that checks each step', async () => {
  const { context, page } = await openTroubleshooter();
  await page.check('#ts-symptom-401');
  const steps = await page.textContent('#guide-steps');
  assert.match(steps, /Step 1: The token's audience is exact/);
  assert.match(steps, /https:\/\/packages\.buildkite\.com\/acme\/docker-images/);
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-guide.png'), fullPage: true });
  await page.click('#guide-steps li:first-child button');
  await page.waitForSelector('#ts-panel-token:not([hidden])');
  // The panel takes the focus in the task after it is shown (Trouble::open), so wait for it.
  await page.waitForFunction(() => document.activeElement?.id === 'token-input', null, { timeout: 5000 })
    .catch(async () => assert.fail(`the focus is on #${await page.evaluate(() => document.activeElement?.id)}, not #token-input`));
  await page.keyboard.insertText(token('https://buildkite.com/acme'));
  await showPanel(page, 'guide');
  assert.match(await page.textContent('#guide-steps'), /Problem:/);
  await context.close();
});

test('the doctor step is offered for the wizard configuration, the same files as the CLI prints', async () => {
  const { context, page, problems, foreignRequests } = await openTroubleshooter();
  await showPanel(page, 'doctor');
  assert.match(await page.textContent('#doctor-destination'), /^packages\.buildkite\.com\/acme\/docker-images\//);
  const files = await page.$$eval('#ts-panel-doctor .doctor-file', (els) => els.map((el) => ({
    path: el.querySelector('.artifact-path code').textContent,
    content: el.querySelector('pre.artifact').textContent,
  })));
  assert.deepEqual(files.map((f) => f.path), ['.buildkite/doctor.yml', '.buildkite/steps/kaniko-doctor.sh']);
  assert.match(files[0].content, /kaniko-doctor/);
  assert.match(files[1].content, /^#!\/bin\/sh/);
  assert.match(files[1].content, /https:\/\/packages\.buildkite\.com\/acme\/docker-images/);
  await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-doctor.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('no serious accessibility violations on the troubleshooter, light and dark, 360 px wide', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openTroubleshooter({ colorScheme, viewport: { width: 360, height: 800 } });
    await page.check('#ts-symptom-aud');
    assert.deepEqual(await seriousA11yViolations(page), [], `guide, ${colorScheme}`);
    await page.screenshot({ path: join(ARTIFACTS, `troubleshoot-guide-360-${colorScheme}.png`), fullPage: true });
    await showPanel(page, 'token');
    await page.fill('#token-input', token('https://buildkite.com/acme'));
    await page.waitForSelector('#token-claims');
    assert.deepEqual(await seriousA11yViolations(page), [], `token, ${colorScheme}`);
    await page.screenshot({ path: join(ARTIFACTS, `troubleshoot-token-360-${colorScheme}.png`), fullPage: true });
    await showPanel(page, 'log');
    await page.fill('#log-input', AUD_LOG);
    await page.waitForSelector('#log-findings li');
    assert.deepEqual(await seriousA11yViolations(page), [], `log, ${colorScheme}`);
    await page.screenshot({ path: join(ARTIFACTS, `troubleshoot-log-360-${colorScheme}.png`), fullPage: true });
    await showPanel(page, 'policy');
    await page.fill('#policy-input', POLICY);
    await page.fill('#claims-input', JSON.stringify({ iss: 'https://agent.buildkite.com', organization_slug: 'acme', pipeline_slug: 'app' }));
    await page.waitForSelector('#policy-statements');
    await showPanel(page, 'pipeline');
    await page.fill('#pipeline-input', PIPELINE);
    await page.waitForSelector('#pipeline-findings li');
    assert.deepEqual(await seriousA11yViolations(page), [], `pipeline, ${colorScheme}`);
    await page.screenshot({ path: join(ARTIFACTS, `troubleshoot-pipeline-360-${colorScheme}.png`), fullPage: true });
    await showPanel(page, 'doctor');
    assert.deepEqual(await seriousA11yViolations(page), [], `doctor, ${colorScheme}`);
    await page.screenshot({ path: join(ARTIFACTS, `troubleshoot-doctor-360-${colorScheme}.png`), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
    assert.equal(overflow, false, `no horizontal scrolling at 360 px (${colorScheme})`);
    await context.close();
  }
});
