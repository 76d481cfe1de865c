// The Package Registries audience card, driven in a real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, openApp, seriousA11yViolations, ARTIFACTS } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('typing slugs shows the exact audience live', async () => {
  const { context, page, problems, foreignRequests } = await openApp(browser);
  await page.fill('#org', 'acme');
  await page.fill('#registry', 'docker-images');
  assert.equal((await page.textContent('#audience')).trim(), 'https://packages.buildkite.com/acme/docker-images');
  assert.match(await page.textContent('#host-path'), /^packages\.buildkite\.com\/acme\/docker-images\//);
  await page.screenshot({ path: join(ARTIFACTS, 'audience-ok.png'), fullPage: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(foreignRequests, []);
  await context.close();
});

test('a display name is flagged beside the field, with the slug to use', async () => {
  const { context, page } = await openApp(browser);
  await page.fill('#org', 'My Org');
  await page.fill('#registry', 'images');
  const message = await page.textContent('#org-messages');
  assert.match(message, /KS003/);
  assert.match(message, /display name/);
  assert.match(message, /my-org/);
  assert.equal((await page.textContent('#audience')).trim(), '—');
  assert.equal(await page.getAttribute('#org', 'aria-invalid'), 'true');
  await page.screenshot({ path: join(ARTIFACTS, 'audience-error.png'), fullPage: true });
  await context.close();
});

test('hostile and huge input never breaks the page', async () => {
  const { context, page, problems } = await openApp(browser);
  for (const value of ['', ' ', '{BUILDKITE_ORGANIZATION_SLUG}', '<org>', 'ünïcødé', 'a'.repeat(10000), '"><script>x</script>']) {
    await page.fill('#org', value);
    await page.fill('#registry', 'images');
    assert.ok((await page.textContent('#audience')).length > 0);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test('no serious accessibility violations, light and dark, 360 px wide', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openApp(browser, { colorScheme, viewport: { width: 360, height: 800 } });
    await page.fill('#org', 'My Org');
    assert.deepEqual(await seriousA11yViolations(page), []);
    await page.screenshot({ path: join(ARTIFACTS, `audience-360-${colorScheme}.png`), fullPage: true });
    await context.close();
  }
});
