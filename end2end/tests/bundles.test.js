// The app's two bundles (docs/decisions.md, "Two bundles"): the administrators' screens under
// /admin come from their own WASM, which a caseworker's phone never downloads; links between the
// bundles are ordinary links (a full page load), and sign-in is the main bundle's, returning to
// the administrators' page afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, newPage, signIn, start } from './harness.js';

const PHONE = { width: 390, height: 844 };

describe('two bundles', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  it('p5_a_signed_out_visit_to_admin_signs_in_through_the_main_bundle_and_returns', async () => {
    const page = await newPage(env.browser, PHONE);
    const wasm = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
    await page.goto('/admin');
    await page.waitForURL('**/sign-in?next=/admin');
    await page.getByTestId('username').fill('coc.admin');
    await page.getByTestId('password').fill(DEMO_PASSWORD);
    await page.getByTestId('sign-in').click();
    await page.waitForURL(`${env.base}/admin`);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    assert.ok(wasm.some((p) => p.startsWith('/admin/admin-')), `admin wasm loaded: ${wasm}`);
    // The brand link leads home: into the main bundle, by a full page load.
    await page.locator('a.brand').click();
    await page.waitForURL(`${env.base}/`);
    await page.getByTestId('search-input').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('p5_a_caseworker_never_downloads_the_administrators_screens', async () => {
    const page = await newPage(env.browser, PHONE);
    const wasm = [];
    page.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
    await signIn(page, 'shelter.cw');
    assert.equal(wasm.length, 1, `one wasm: ${wasm}`);
    assert.ok(!wasm[0].startsWith('/admin/'), wasm[0]);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
