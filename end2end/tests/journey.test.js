// The first vertical slice, as a caseworker does it: sign in, find a client, open the profile,
// and read the visibility badges the shared rules compute in the browser (S-1, S-2, S-5, S-9).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start } from './harness.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

describe('caseworker journey', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  for (const vp of VIEWPORTS) {
    it(`s1_caseworker_signs_in_searches_and_sees_tier1_badge (${vp.name})`, async () => {
      const page = await newPage(env.browser, { width: vp.width, height: vp.height });
      await signIn(page, 'shelter.cw');
      await assert.doesNotReject(page.getByTestId('who').getByText('Bull City Shelter').waitFor());
      await page.screenshot({ path: join(artifacts, `search-${vp.name}.png`) });
      assert.deepEqual(await axeViolations(page), [], 'the search page');

      await searchAndOpenClient(page, 'Rivera', /Rivera, Alex/, {
        screenshot: join(artifacts, `results-${vp.name}.png`),
        axe: true,
      });
      assert.equal(await page.getByTestId('client-name').innerText(), 'Alex Lee Rivera');
      assert.equal(await page.getByTestId('hmis-number').innerText(), 'H0001001');
      const intakeBadge = page.getByTestId('client-profile').getByTestId('visibility-badge');
      assert.equal(await intakeBadge.innerText(), 'Shared with all agencies');
      // Records of the caseworker's own agency say so.
      const own = page.getByTestId('record').filter({ hasText: 'Entered by your agency' });
      assert.ok((await own.count()) > 0, 'own-agency records are shown with their reason');
      // the head-of-household checklist shows the birth certificate on file, two missing.
      await page.getByTestId('household-checklist').waitFor();
      assert.equal(await page.locator('[data-test-id="checklist-item"][data-on-file="true"]').count(), 1);
      assert.equal(await page.locator('[data-test-id="checklist-item"][data-on-file="false"]').count(), 2);
      assert.match(await page.getByTestId('household-checklist').innerText(), /specific diagnoses/);
      // P-1: every badge the browser computed equals the server's decision for that record.
      assert.equal(await page.locator('[data-test-id="record"][data-agrees="false"]').count(), 0);
      assert.ok((await page.locator('[data-test-id="record"][data-agrees="true"]').count()) > 5);
      await page.screenshot({ path: join(artifacts, `profile-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the profile');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  it('s9_restricted_records_of_another_agency_are_withheld_without_a_hint', async () => {
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'shelter.cw');
    // H0001002 is entered by Eno River Housing; Bull City Shelter has no ROI or MOU with it.
    await searchAndOpenClient(page, 'H0001002', 'H0001002');
    const readOnly = page.getByTestId('record').filter({ hasText: 'Read-only: entered by Eno River Housing' });
    await readOnly.first().waitFor();
    assert.ok((await readOnly.count()) > 0, 'tier-2 records are shown read-only with their owner (S-2)');
    const forms = page.locator('[data-test-id="record"][data-kind="Form"]');
    assert.equal(await forms.count(), 0, 'no form of another agency is shown without ROI or MOU');
    // S-9: by default nothing says that restricted records exist.
    assert.equal(await page.getByTestId('hidden-note').count(), 0);
    await page.screenshot({ path: join(artifacts, 'restricted-desktop.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'a profile with withheld records');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  for (const [rule, user, hmis, badge] of [
    ['s3', 'housing.cw', 'H0001001', /^Shared with you by ROI #\d+ \(until \d{4}-\d{2}-\d{2}\)$/],
    ['s4', 'outreach.cw', 'H0001002', /^Shared by MOU 'Durham Housing Partners'$/],
  ]) {
    it(`${rule}_released_forms_carry_the_release_in_their_badge_computed_in_the_browser`, async () => {
      const page = await newPage(env.browser, { width: 1280, height: 800 });
      await signIn(page, user);
      await searchAndOpenClient(page, hmis, hmis);
      const forms = page.locator('[data-test-id="record"][data-kind="Form"]');
      assert.ok((await forms.count()) > 0);
      for (const text of await forms.getByTestId('visibility-badge').allInnerTexts()) {
        assert.match(text, badge);
      }
      assert.equal(await page.locator('[data-test-id="record"][data-agrees="false"]').count(), 0);
      await page.screenshot({ path: join(artifacts, `${rule}-released-desktop.png`), fullPage: true });
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  it('p5_wrong_password_is_refused_with_a_message', async () => {
    const page = await newPage(env.browser, { width: 390, height: 844 });
    await page.goto(`${env.base}/sign-in`);
    await page.getByTestId('username').fill('shelter.cw');
    await page.getByTestId('password').fill('not the password');
    await page.getByTestId('sign-in').click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Wrong username or password\./);
    await page.screenshot({ path: join(artifacts, 'sign-in-error-phone.png') });
    assert.deepEqual(await axeViolations(page), [], 'the sign-in page with its error');
    await page.context().close();
  });

  it('axe_checks_can_fail_a_planted_image_without_alt_text_is_found', async () => {
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await page.goto(`${env.base}/sign-in`);
    await page.getByTestId('username').waitFor();
    await page.evaluate(() => document.body.appendChild(document.createElement('img')));
    const found = await axeViolations(page);
    assert.ok(found.some((v) => v.startsWith('image-alt')), `axe found: ${found}`);
    await page.context().close();
  });
});
