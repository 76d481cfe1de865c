// The wizard, driven in a real Chromium against the built page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { launch, openApp, seriousA11yViolations, ARTIFACTS } from './harness.mjs';

const ORG = '#f-registry-buildkite_packages-org';
const REG = '#f-registry-buildkite_packages-registry';
const CLI = process.env.KS_CLI ?? join(process.cwd(), 'target/debug/kaniko-studio');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function step(page, name) {
  await page.getByRole('button', { name: new RegExp(`^\\d\\. ${name}`) }).click();
}

/** Every artifact the page shows: path → content. */
async function pageArtifacts(page) {
  const files = {};
  const tabs = page.locator('.artifact-tabs button');
  const n = await tabs.count();
  for (let i = 0; i < n; i++) {
    await tabs.nth(i).click();
    const path = (await page.textContent('.artifact-path code')).trim();
    files[path] = await page.textContent('pre.artifact');
  }
  return files;
}

/** Every file `kaniko-studio generate` writes for the page's configuration. */
function cliArtifacts(configYaml) {
  const dir = mkdtempSync(join(tmpdir(), 'ks-cli-'));
  const cfg = join(dir, 'kaniko-studio.yaml');
  execFileSync('sh', ['-c', `cat > "${cfg}"`], { input: configYaml });
  const out = join(dir, 'out');
  execFileSync(CLI, ['generate', cfg, '--out', out]);
  const files = {};
  const walk = (d, rel) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(p).isDirectory()) walk(p, r); else files[r] = readFileSync(p, 'utf8');
    }
  };
  walk(out, '');
  return files;
}

async function downloadedConfig(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download configuration (YAML)' }).click(),
  ]);
  return readFileSync(await download.path(), 'utf8');
}

test('typing slugs shows the exact audience live', async () => {
  const { context, page, problems, foreignRequests } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'acme');
  await page.fill(REG, 'docker-images');
  assert.equal((await page.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/docker-images');
  assert.match(await page.textContent('#destination'), /^packages\.buildkite\.com\/acme\/docker-images\//);
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-audience.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('the example values are labelled as placeholders until the user replaces them', async () => {
  const { context, page, problems } = await openApp(browser);
  const note = page.locator('.example-note');
  assert.match(await note.textContent(), /Example values/);
  await step(page, 'Registry');
  await page.fill(ORG, 'my-org');
  await note.waitFor({ state: 'detached' });
  assert.equal((await page.textContent('#audience')).trim(), 'https://packages.buildkite.com/my-org/docker-images');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a display name is flagged beside the field, with the slug to use, and nothing is generated', async () => {
  const { context, page } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'My Org');
  await page.fill(REG, 'images');
  const message = await page.textContent(`${ORG}-messages`);
  assert.match(message, /KS003/);
  assert.match(message, /display name/);
  assert.match(message, /my-org/);
  assert.equal(await page.getAttribute(ORG, 'aria-invalid'), 'true');
  assert.equal(await page.locator('pre.artifact').count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-error.png'), fullPage: true });
  await context.close();
});

test('hostile and huge input never breaks the page', async () => {
  const { context, page, problems } = await openApp(browser);
  await step(page, 'Registry');
  for (const value of ['', ' ', '{BUILDKITE_ORGANIZATION_SLUG}', '<org>', 'ünïcødé', 'a'.repeat(10000), '"><script>x</script>']) {
    await page.fill(ORG, value);
    await page.fill(REG, 'images');
    assert.ok((await page.textContent('#audience')).length > 0);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('Kubernetes + Package Registries: the page gives the same files as the CLI', async () => {
  const { context, page } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'acme');
  await page.fill(REG, 'docker-images');
  await step(page, 'Review');
  const pageFiles = await pageArtifacts(page);
  assert.ok(pageFiles['.buildkite/pipeline.yml'].includes('podSpecPatch'));
  assert.deepEqual(pageFiles, cliArtifacts(await downloadedConfig(page)));
  // "Download all" is a real tar archive with every file, byte for byte.
  const [archive] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download all (.tar)' }).click(),
  ]);
  const tarPath = await archive.path();
  const listed = execFileSync('tar', ['-tf', tarPath], { encoding: 'utf8' }).trim().split('\n').sort();
  assert.deepEqual(listed, Object.keys(pageFiles).sort());
  for (const [path, content] of Object.entries(pageFiles)) {
    assert.equal(execFileSync('tar', ['-xOf', tarPath, path], { encoding: 'utf8' }), content, path);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-k8s-packages.png'), fullPage: true });
  await context.close();
});

test('Elastic + ECR: the page gives the same files as the CLI', async () => {
  const { context, page } = await openApp(browser);
  await page.selectOption('#f-stack', 'elastic');
  await step(page, 'Registry');
  await page.selectOption('#f-registry', 'ecr');
  await page.fill('#f-registry-ecr-account', '210987654321');
  await page.fill('#f-registry-ecr-region', 'us-east-2');
  await step(page, 'Review');
  const pageFiles = await pageArtifacts(page);
  assert.ok(Object.keys(pageFiles).some((p) => p.endsWith('.sh')), Object.keys(pageFiles).join(', '));
  assert.ok(Object.values(pageFiles).join('\n').includes('210987654321.dkr.ecr.us-east-2.amazonaws.com'));
  assert.deepEqual(pageFiles, cliArtifacts(await downloadedConfig(page)));
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-elastic-ecr.png'), fullPage: true });
  await context.close();
});

test('building your own executor adds its pipeline and script, the same files as the CLI', async () => {
  const { context, page } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'acme');
  await page.fill(REG, 'images');
  await step(page, 'Kaniko options');
  await page.selectOption('#f-extras-build_executor', 'git_ref');
  await page.fill('#f-extras-build_executor-signing_key', 'awskms:///alias/kaniko-signing');
  await step(page, 'Review');
  const pageFiles = await pageArtifacts(page);
  assert.ok(pageFiles['.buildkite/kaniko-executor.yml'].includes('moby/buildkit'), Object.keys(pageFiles).join(', '));
  assert.ok(pageFiles['.buildkite/steps/kaniko-executor.sh'].includes('repository=packages.buildkite.com/acme/images/kaniko'));
  assert.ok(pageFiles['.buildkite/steps/kaniko-executor.sh'].includes('awskms:///alias/kaniko-signing'));
  assert.deepEqual(pageFiles, cliArtifacts(await downloadedConfig(page)));
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-own-executor.png'), fullPage: true });
  await context.close();
});

test('a reload restores the configuration, and the share link restores it elsewhere', async () => {
  const { context, page } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'acme');
  await page.fill(REG, 'saved-images');
  await page.reload();
  await page.waitForSelector('#main');
  assert.equal((await page.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/saved-images');
  await step(page, 'Review');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#c=/);
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await fresh.goto(link);
  await fresh.waitForSelector('#main');
  assert.equal((await fresh.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/saved-images');
  await other.close();
  await context.close();
});

test('a share link opened over your own configuration keeps yours one click away, and later edits survive a reload', async () => {
  const { context, page } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(REG, 'their-images');
  await step(page, 'Review');
  const link = await page.inputValue('#share-link');
  await step(page, 'Registry');
  await page.fill(REG, 'my-images');
  const audience = async () => (await page.textContent('#audience')).trim();

  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('#main');
  assert.equal(await audience(), 'https://packages.buildkite.com/acme/their-images');
  assert.match(await page.textContent('.notice'), /Loaded the configuration from the link/);
  assert.doesNotMatch(page.url(), /#/, 'the configuration left the address');
  await step(page, 'Registry');
  await page.fill(REG, 'their-images-edited');
  await page.reload();
  await page.waitForSelector('#main');
  assert.equal(await audience(), 'https://packages.buildkite.com/acme/their-images-edited', 'the reload kept the edit');

  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForSelector('#notice-undo');
  assert.equal(await audience(), 'https://packages.buildkite.com/acme/their-images');
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-link-undo.png') });
  await page.click('#notice-undo');
  assert.equal(await audience(), 'https://packages.buildkite.com/acme/their-images-edited');
  await page.reload();
  await page.waitForSelector('#main');
  assert.equal(await audience(), 'https://packages.buildkite.com/acme/their-images-edited', 'the put-back configuration is the saved one');
  await context.close();
});

test('importing a configuration file restores it; a broken file says where, and changes nothing', async () => {
  const { context, page } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'acme');
  await page.fill(REG, 'imported-images');
  await step(page, 'Review');
  const yaml = await downloadedConfig(page);
  await context.close();

  const other = await openApp(browser);
  const fresh = other.page;
  await step(fresh, 'Review');
  const pick = (name, text) => fresh.setInputFiles('#import-config', { name, mimeType: 'application/yaml', buffer: Buffer.from(text) });
  await pick('kaniko-studio.yaml', yaml);
  await fresh.waitForFunction(() => document.querySelector('.notice')?.textContent.includes('Imported kaniko-studio.yaml'));
  assert.equal((await fresh.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/imported-images');
  assert.deepEqual(await pageArtifacts(fresh), cliArtifacts(yaml));

  // A misspelt key on line 3: the message names the field and the line; the configuration stays.
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => l.startsWith('stack:'));
  lines[at] = lines[at].replace('stack:', 'stak:');
  await pick('broken.yaml', lines.join('\n'));
  const problem = fresh.locator('.config-tools .diagnostics li');
  await problem.waitFor();
  const text = await problem.textContent();
  assert.match(text, /unknown field stak, expected one of version, stack/, text);
  assert.match(text, new RegExp(`broken\\.yaml:${at + 1}:1`), text);
  assert.equal((await fresh.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/imported-images');
  assert.equal(await fresh.locator('.notice').count(), 0, 'the earlier "Imported" notice is gone');

  // Two mistakes: both are listed at once, as `kaniko-studio validate` lists them.
  const image = lines.findIndex((l) => l.startsWith('image:'));
  lines[image] = 'imge:';
  await pick('broken-twice.yaml', lines.join('\n'));
  await fresh.waitForFunction(() => document.querySelectorAll('.config-tools .diagnostics li').length === 2);
  const both = await fresh.locator('.import-failed').textContent();
  assert.match(both, /The file has 2 errors/, both);
  assert.match(both, new RegExp(`broken-twice\\.yaml:${image + 1}:1`), both);
  assert.equal((await fresh.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/imported-images');
  await fresh.screenshot({ path: join(ARTIFACTS, 'wizard-import-error.png'), fullPage: true });
  await other.context.close();
});

test('an import while the file reader cannot load shows progress, then a clear error, and changes nothing', async () => {
  let release;
  const gate = new Promise((resolve) => { release = resolve; });
  const { context, page } = await openApp(browser, {
    serviceWorkers: 'block',
    setup: (p) => p.route('**/kaniko-studio-troubleshoot.js', async (route) => { await gate; await route.abort('internetdisconnected'); }),
  });
  await step(page, 'Review');
  const before = (await page.textContent('#audience')).trim();
  await page.setInputFiles('#import-config', { name: 'other.yaml', mimeType: 'application/yaml', buffer: Buffer.from('version: 1\n') });
  await page.waitForFunction(() => document.querySelector('.config-tools [role="status"]')?.textContent.includes('Reading other.yaml…'));
  release();
  const alert = page.locator('.config-tools [role="alert"]');
  await alert.waitFor();
  assert.match(await alert.textContent(), /other\.yaml was not imported: the file reader could not be loaded .*nothing was changed/);
  assert.equal(await page.textContent('.config-tools [role="status"]'), '');
  assert.equal((await page.textContent('#audience')).trim(), before);
  assert.deepEqual(await seriousA11yViolations(page), []);
  await context.close();
});

test('corrupt saved state is set aside with a notice, never a blank page', async () => {
  const { context, page } = await openApp(browser);
  await page.evaluate(() => localStorage.setItem('kaniko-studio.config', '{"version": 99, "nonsense": true'));
  await page.reload();
  await page.waitForSelector('#main');
  assert.match(await page.textContent('.notice'), /could not be read/);
  assert.equal(await page.evaluate(() => localStorage.getItem('kaniko-studio.config.unreadable')), '{"version": 99, "nonsense": true');
  await context.close();
});

test('no serious accessibility violations on any step, light and dark, 360 px wide', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openApp(browser, { colorScheme, viewport: { width: 360, height: 800 } });
    for (const name of ['Environment', 'Registry', 'Authentication', 'Image', 'Kaniko', 'Review']) {
      await step(page, name);
      if (name === 'Registry') await page.fill(ORG, 'My Org');
      assert.deepEqual(await seriousA11yViolations(page), [], `${name} (${colorScheme})`);
    }
    // Nothing in the header covers the title on a phone.
    const title = await page.locator('.site-header h1').boundingBox();
    const toggle = await page.locator('.theme-toggle').boundingBox();
    const overlap = title.x < toggle.x + toggle.width && toggle.x < title.x + title.width && title.y < toggle.y + toggle.height && toggle.y < title.y + title.height;
    assert.ok(!overlap, `the theme toggle ${JSON.stringify(toggle)} covers the title ${JSON.stringify(title)}`);
    await page.screenshot({ path: join(ARTIFACTS, `wizard-360-${colorScheme}.png`), fullPage: true });
    await context.close();
  }
});

test('after the first visit the page loads and works with the network off', async () => {
  const { context, page } = await openApp(browser);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  // The first load happened before the worker controlled the page: load once more online.
  await page.reload();
  await page.waitForSelector('#main');
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await page.waitForSelector('#main');
  await step(page, 'Registry');
  await page.fill(ORG, 'acme');
  await page.fill(REG, 'offline');
  assert.equal((await page.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/offline');
  // The troubleshooter's module was never opened online: the service worker cached it at install.
  await page.click('#tab-troubleshoot');
  await page.waitForSelector('#ts-tab-token');
  assert.match(await page.textContent('#ts-prefill'), /https:\/\/packages\.buildkite\.com\/acme\/offline/);
  await context.close();
});

test('keyboard: tab lists take one tab stop and move with the arrows, Home and End; Next leads into the new step', async () => {
  const { context, page } = await openApp(browser);
  const active = () => page.evaluate(() => document.activeElement?.id ?? '');
  const selected = (id) => page.getAttribute(`#${id}`, 'aria-selected');

  // The artifacts: one tab stop; the arrows change the file shown and move the focus with it.
  await page.focus('#artifact-tab-0');
  await page.keyboard.press('ArrowRight');
  assert.equal(await active(), 'artifact-tab-1');
  assert.equal(await selected('artifact-tab-1'), 'true');
  assert.match(await page.textContent('.artifact-path code'), /config\.json$/);
  await page.keyboard.press('End');
  const last = await page.locator('.artifact-tabs [role="tab"]').count() - 1;
  assert.equal(await active(), `artifact-tab-${last}`);
  await page.keyboard.press('ArrowRight');
  assert.equal(await active(), 'artifact-tab-0', 'the arrows wrap around');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await active(), `artifact-tab-${last}`);
  await page.keyboard.press('Home');
  assert.equal(await active(), 'artifact-tab-0');
  assert.equal(await page.locator('.artifact-tabs [tabindex="0"]').count(), 1, 'one tab stop in the list');
  await page.keyboard.press('Tab');
  assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Copy/, 'Tab leaves the list for its panel');

  // Next by keyboard: the new step's heading has the focus, and Tab goes on into its form.
  await page.getByRole('button', { name: 'Next →' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Registry');
  await page.keyboard.press('Tab');
  assert.equal(await active(), 'f-registry');

  // The pages: the arrows switch between the wizard and the troubleshooter.
  await page.focus('#tab-wizard');
  await page.keyboard.press('ArrowRight');
  assert.equal(await active(), 'tab-troubleshoot');
  await page.waitForSelector('#ts-tab-guide');
  await page.focus('#tab-troubleshoot');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await active(), 'tab-wizard');
  await page.waitForSelector('#artifact-tab-0');
  await context.close();
});

test('the theme toggle switches light and dark, and the choice is kept', async () => {
  const { context, page } = await openApp(browser, { colorScheme: 'light' });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click('#theme-toggle');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.notEqual(await bg(), light);
  assert.deepEqual(await seriousA11yViolations(page), []);
  await page.reload();
  await page.waitForSelector('#main');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  assert.equal(await page.getAttribute('#theme-toggle', 'aria-pressed'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'wizard-dark-toggle.png'), fullPage: true });
  await context.close();
});

test('an internal error that stops the module is said on the page, once, and nothing else is lost', async () => {
  const { context, page, problems } = await openApp(browser);
  await step(page, 'Registry');
  await page.fill(ORG, 'trap-org');
  await page.waitForFunction(() => document.querySelector('pre.artifact')?.textContent.includes('trap-org'));
  // The release build aborts on a panic: the module traps, which the page sees as a
  // WebAssembly.RuntimeError thrown from an event handler (or a rejected task).
  await page.evaluate(() => {
    setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); });
    Promise.reject(new WebAssembly.RuntimeError('unreachable'));
  });
  const alert = page.locator('p.crash[role=alert]');
  await alert.waitFor();
  assert.equal(await alert.count(), 1);
  assert.match(await alert.textContent(), /stopped after an internal error.*reload the page.*unreachable/);
  // Other errors are not taken for a crash.
  await page.evaluate(() => setTimeout(() => { throw new TypeError('not a trap'); }));
  await page.waitForTimeout(100);
  assert.equal(await alert.count(), 1);
  assert.ok(problems.some((p) => p.includes('unreachable')), problems.join('\n'));
  await page.reload();
  await page.waitForSelector('#main');
  await step(page, 'Registry');
  assert.equal(await page.inputValue(ORG), 'trap-org');
  assert.equal(await page.locator('p.crash').count(), 0);
  await context.close();
});
