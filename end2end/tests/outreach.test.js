// Outreach on a phone (issue #15): search before intake with hints while typing (the newest
// answer wins), the phone-first intake (HUD data quality first, a placeholder name, the camera's
// photo resized in the browser, an ROI, an enrollment, a first service), and the other agency
// reading what the ROI releases (S-3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { apiCall, artifacts, axeViolations, newPage, signIn, start } from './harness.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

/** Fails when the page scrolls sideways or a visible control is smaller than 44 px high. */
async function checkPhoneLayout(page, what) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(wide, false, `${what}: no horizontal scroll`);
  const small = await page.evaluate(() => [...document.querySelectorAll('main button, main input, main select, main a.button, main label.button')]
    .filter((e) => e.offsetParent !== null && e.type !== 'checkbox' && e.type !== 'file')
    .filter((e) => e.getBoundingClientRect().height < 44)
    .map((e) => e.dataset.testId || e.id || e.outerHTML.slice(0, 60)));
  assert.deepEqual(small, [], `${what}: every control at least 44 px high`);
}

/** Resolves after the page has handled what is already queued (an answer just delivered). */
async function settled(page) {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 0))));
}

/** A PNG of `w`×`h` drawn in the page (a stand-in for the camera's picture). */
async function pngFromPage(page, w, h) {
  const b64 = await page.evaluate(([w, h]) => {
    const c = document.createElement('canvas');
    c.width = w; c.height = h;
    const ctx = c.getContext('2d');
    ctx.fillStyle = '#c0392b'; ctx.fillRect(0, 0, w, h);
    ctx.fillStyle = '#2c3e50'; ctx.fillRect(w / 4, h / 4, w / 2, h / 2);
    return c.toDataURL('image/png').split(',')[1];
  }, [w, h]);
  return Buffer.from(b64, 'base64');
}

describe('outreach', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  it('s1_an_outreach_worker_sees_possible_matches_while_typing_and_new_client_only_after_a_search', async () => {
    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'outreach.cw');
    assert.equal(await page.getByTestId('new-client').count(), 0, 'no "New client" before a search');
    // Lower case and unfinished, as typed on a phone: today's prefix search already finds it.
    await page.getByTestId('search-input').pressSequentially('alex riv', { delay: 40 });
    const hint = page.getByTestId('search-hint').first();
    await hint.waitFor();
    assert.match(await hint.innerText(), /Rivera, Alex/);
    assert.equal(await page.getByTestId('new-client').count(), 0, 'hints are no search: still no "New client"');
    await page.screenshot({ path: join(artifacts, 'outreach-hints-phone.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the home page with hints');
    await checkPhoneLayout(page, 'hints');

    // The submitted search: its query alone in the URL (no stray "&="), then "New client" with
    // the search's terms carried over.
    await page.getByTestId('search-input').press('Enter');
    await page.waitForURL('**/search?q=*');
    assert.equal(new URL(page.url()).search, '?q=alex%20riv');
    await page.getByTestId('search-result').first().waitFor();
    const offer = page.getByTestId('new-client');
    await offer.waitFor();
    assert.match(await offer.getAttribute('href'), /^\/clients\/new\?name=alex%20riv$/);
    await page.screenshot({ path: join(artifacts, 'outreach-search-phone.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the search results');
    await checkPhoneLayout(page, 'search results');

    // Back and reload keep the submitted search (its state is in the URL).
    await page.reload();
    await page.getByTestId('search-result').first().waitFor();
    assert.equal(await page.getByTestId('search-input').inputValue(), 'alex riv');
    assert.deepEqual(page.problems, [], 'no console error');
    await page.context().close();
  });

  it('s1_the_hints_are_reached_by_keyboard_and_open_the_client', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'outreach.cw');
    await page.getByTestId('search-input').pressSequentially('Rivera', { delay: 20 });
    await page.getByTestId('search-hint').first().waitFor();
    await page.screenshot({ path: join(artifacts, 'outreach-hints-desktop.png') });
    assert.deepEqual(await axeViolations(page), [], 'the home page with hints (desktop)');
    await page.keyboard.press('Tab'); // the Search button
    await page.keyboard.press('Tab'); // the first hint
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testId), 'search-hint');
    await page.keyboard.press('Enter');
    await page.getByTestId('client-profile').waitFor();
    assert.match(await page.getByTestId('client-name').innerText(), /Rivera/);
    assert.deepEqual(page.problems, [], 'no console error');
    await page.context().close();
  });

  it('s1_the_search_and_the_intake_at_desktop_width_carry_the_search_terms', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'outreach.cw');
    await page.goto('/search?q=Nobody%20Known');
    await page.getByTestId('no-results').waitFor();
    await page.getByTestId('search-dob').fill('1990-02-03');
    await page.screenshot({ path: join(artifacts, 'outreach-search-desktop.png') });
    assert.deepEqual(await axeViolations(page), [], 'the search page (desktop)');
    const offer = page.getByTestId('new-client');
    assert.equal(await offer.getAttribute('href'), '/clients/new?name=Nobody%20Known&dob=1990-02-03');
    await offer.click();
    await page.getByTestId('new-client-page').waitFor();
    assert.equal(await page.getByTestId('first-name').inputValue(), 'Nobody');
    assert.equal(await page.getByTestId('last-name').inputValue(), 'Known');
    assert.equal(await page.getByTestId('dob').inputValue(), '1990-02-03');
    await page.screenshot({ path: join(artifacts, 'outreach-intake-desktop.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the intake (desktop)');
    assert.deepEqual(page.problems, [], 'no console error');
    await page.context().close();
  });

  it('p1_an_older_slower_answer_never_replaces_the_newer_hints', async () => {
    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'outreach.cw');
    // The answer for "Haddad" is held back until the answer for "Rivera" is shown.
    let release;
    const held = new Promise((ok) => { release = ok; });
    await page.route('**/api/v1/clients?q=Haddad', async (route) => {
      const response = await route.fetch();
      await held;
      await route.fulfill({ response });
    });
    const haddadAsked = page.waitForRequest((r) => r.url().includes('/api/v1/clients?q=Haddad'));
    await page.getByTestId('search-input').fill('Haddad');
    await haddadAsked;
    await page.getByTestId('search-input').fill('Rivera');
    await page.getByTestId('search-hint').first().waitFor();
    const haddadAnswered = page.waitForResponse((r) => r.url().includes('/api/v1/clients?q=Haddad'));
    release();
    await haddadAnswered;
    await settled(page);
    const shown = await page.getByTestId('search-hint').allInnerTexts();
    assert.ok(shown.length > 0);
    assert.ok(shown.every((t) => t.includes('Rivera')), `only Rivera's hints remain: ${shown}`);
    assert.deepEqual(page.problems, [], 'no console error');
    await page.context().close();
  });

  it('p5_a_search_whose_session_has_ended_goes_to_sign_in_and_back', async () => {
    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'outreach.cw');
    await page.context().clearCookies();
    await page.getByTestId('search-input').fill('Rivera');
    await page.getByTestId('search-submit').click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/search?q=Rivera');
    assert.equal(await page.getByTestId('search-error').count(), 0);
    await page.getByTestId('username').waitFor();
    assert.deepEqual(page.problems, [], 'no console error (a hint still waiting when the page changed included)');
    await page.context().close();
  });

  it(
    's1_a_misspelt_name_finds_the_client_jon_smyth_finds_john_smith',
    async () => {
      const page = await newPage(env.browser, PHONE);
      await signIn(page, 'outreach.cw');
      const made = await apiCall(page, 'POST', '/clients', {
        json: {
          first_name: 'John', last_name: 'Smith', date_of_birth: '1971-04-02', dob_data_quality: 'full',
          ssn_data_quality: 'data_not_collected', confirm_new: true,
        },
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      await page.getByTestId('search-input').pressSequentially('Jon Smyth', { delay: 30 });
      const hint = page.getByTestId('search-hint').first();
      await hint.waitFor({ timeout: 5000 });
      assert.match(await hint.innerText(), /Smith, John/);
      await page.context().close();
    },
  );

  it('s3_an_outreach_worker_takes_in_a_person_with_a_placeholder_name_and_another_agency_reads_what_the_roi_releases', async () => {
    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'outreach.cw');
    await page.getByTestId('search-input').fill('Red Jacket');
    await page.getByTestId('search-submit').click();
    await page.getByTestId('no-results').waitFor();
    await page.getByTestId('new-client').click();
    await page.getByTestId('new-client-page').waitFor();
    assert.equal(await page.title(), 'New client · Hearth');
    // Searched as "Red Jacket": carried over as first and last name.
    assert.equal(await page.getByTestId('first-name').inputValue(), 'Red');
    assert.equal(await page.getByTestId('last-name').inputValue(), 'Jacket');

    const who = page.getByTestId('who-form');
    // HUD data quality first: a date of birth the client does not know hides the date.
    await who.locator('select[name="dob_data_quality"]').selectOption({ label: 'Full reported' });
    await page.getByTestId('dob').waitFor();
    await who.locator('select[name="dob_data_quality"]').selectOption({ label: "Client doesn't know" });
    assert.equal(await page.getByTestId('dob').count(), 0, 'no date field when the client does not know it');
    await page.getByTestId('placeholder-on').check();
    assert.equal(await page.getByTestId('first-name').count(), 0, 'a placeholder replaces the name fields');
    // Saved without the SSN's quality: the error is next to its field, and nothing is saved.
    await page.getByTestId('placeholder-name').fill('Red Jacket, Main St bridge');
    await page.getByTestId('who-save').click();
    const ssnField = who.locator('.field', { has: page.locator('select[name="ssn_data_quality"]') });
    await ssnField.getByTestId('field-error').waitFor();
    await page.screenshot({ path: join(artifacts, 'outreach-intake-error-phone.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the intake with a field error');
    await who.locator('select[name="ssn_data_quality"]').selectOption({ label: 'Data not collected' });
    assert.equal(await page.getByTestId('ssn').count(), 0);
    await checkPhoneLayout(page, 'the intake');
    await page.getByTestId('who-save').click();
    const saved = page.getByTestId('client-saved');
    await saved.waitFor();
    const hmis = (await saved.innerText()).match(/H\d{7}/)[0];

    // The photo: a large picture, made at most 1024 px on the phone, sent as JPEG.
    const photoSent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().endsWith('/photo'));
    await page.getByTestId('photo-input').setInputFiles({
      name: 'camera.png', mimeType: 'image/png', buffer: await pngFromPage(page, 2400, 1800),
    });
    const put = await photoSent;
    assert.equal(put.headers()['content-type'], 'image/jpeg');
    await page.getByTestId('photo-step-done').waitFor();
    const clientId = put.url().match(/clients\/(\d+)\/photo/)[1];
    const stored = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/clients/${id}/photo`);
      const blob = await res.blob();
      const head = [...new Uint8Array(await blob.slice(0, 2).arrayBuffer())];
      const bitmap = await createImageBitmap(blob);
      return { head, size: [bitmap.width, bitmap.height] };
    }, clientId);
    assert.deepEqual(stored.head, [0xff, 0xd8], 'stored as a JPEG');
    assert.deepEqual(stored.size, [1024, 768], 'resized before upload, proportions kept');

    // The ROI with Eno River Housing: refused without the attestation, with the reason by it.
    const roi = page.getByTestId('new-roi-form');
    await roi.locator('label', { hasText: 'Eno River Housing' }).click();
    await page.getByTestId('new-roi-save').click();
    await roi.getByTestId('field-error').waitFor();
    await page.getByTestId('new-roi-attested').check();
    await page.getByTestId('new-roi-save').click();
    await page.getByTestId('roi-step-done').waitFor();

    // The enrollment: only Triangle Outreach's own programs are offered.
    const programs = await page.getByTestId('enroll-program').locator('option').allInnerTexts();
    assert.ok(programs.length > 0 && programs.every((p) => p.startsWith('Triangle')), `own programs: ${programs}`);
    await page.getByTestId('enroll-program').selectOption({ label: programs.find((p) => p.includes('Street Outreach')) });
    await page.getByTestId('enroll-save').click();
    await page.getByTestId('enroll-step-done').waitFor();

    // A first service, in that enrollment.
    await page.getByTestId('service-description').fill('Blanket and water');
    await page.getByTestId('service-save').click();
    await page.getByTestId('service-step-done').waitFor();
    await page.screenshot({ path: join(artifacts, 'outreach-intake-done-phone.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the intake, every step done');
    await checkPhoneLayout(page, 'the intake done');

    // The file: marked as a placeholder, with the way to complete the name.
    await page.getByTestId('open-new-client').click();
    await page.getByTestId('client-profile').waitFor();
    await page.getByTestId('placeholder-badge').waitFor();
    await page.getByTestId('tab-intake').click();
    await page.getByTestId('complete-name').click();
    await page.getByTestId('intake-editor').waitFor();
    await page.screenshot({ path: join(artifacts, 'outreach-complete-name-phone.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the intake section of a placeholder');
    // An income assessment (ShareWithRoiMou by default) for the other agency to read under the ROI.
    const form = await apiCall(page, 'POST', `/clients/${clientId}/forms`, { json: { form_type: 'Income', answers: {} } });
    assert.equal(form.status, 201, JSON.stringify(form.body));
    // The 422 of the ROI without its attestation is expected; the browser logs every failed load.
    assert.deepEqual(page.problems.filter((p) => !/status of 422/.test(p)), [], 'no console error');
    await page.context().close();

    // Eno River Housing finds the placeholder by its words and reads what the ROI releases.
    const other = await newPage(env.browser, DESKTOP);
    await signIn(other, 'housing.cw');
    await other.getByTestId('search-input').fill('Red Jacket');
    await other.getByTestId('search-submit').click();
    const result = other.getByTestId('search-result').filter({ hasText: hmis });
    await result.click();
    await other.getByTestId('client-profile').waitFor();
    await other.getByTestId('placeholder-badge').waitFor();
    const forms = other.locator('[data-test-id="record"][data-kind="Form"]');
    await forms.first().waitFor();
    assert.match(await forms.first().getByTestId('visibility-badge').innerText(), /^Shared with you by ROI #\d+ \(until \d{4}-\d{2}-\d{2}\)$/);
    await other.screenshot({ path: join(artifacts, 'outreach-released-desktop.png'), fullPage: true });
    assert.deepEqual(await axeViolations(other), [], 'the released file');
    assert.deepEqual(other.problems, [], 'no console error');
    await other.context().close();
  });

  it('s1_possible_duplicates_are_shown_side_by_side_to_open_one_or_confirm_a_new_person', async () => {
    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'outreach.cw');
    const first = { first_name: 'Dana', last_name: 'Okafor', date_of_birth: '1980-05-06', dob_data_quality: 'full', ssn: '4321', ssn_data_quality: 'partial', confirm_new: true };
    const made = await apiCall(page, 'POST', '/clients', { json: first });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await page.goto('/clients/new?name=Dana%20Okafor&dob=1980-05-06');
    await page.getByTestId('new-client-page').waitFor();
    const who = page.getByTestId('who-form');
    await who.locator('select[name="ssn_data_quality"]').selectOption({ label: "Client doesn't know" });
    await page.getByTestId('who-save').click();
    const card = page.getByTestId('dup-card');
    await card.getByTestId('dup-name').waitFor();
    assert.match(await card.innerText(), new RegExp(made.body.hmis_number));
    assert.match(await card.innerText(), /Dana Okafor/);
    assert.match(await card.innerText(), /1980-05-06/);
    assert.match(await card.innerText(), /…4321/);
    assert.match(await page.getByTestId('dup-typed').innerText(), /Dana Okafor/);
    await page.screenshot({ path: join(artifacts, 'outreach-duplicates-phone.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the possible duplicates');
    await checkPhoneLayout(page, 'the possible duplicates');
    await page.getByTestId('confirm-new').click();
    const saved = page.getByTestId('client-saved');
    await saved.waitFor();
    assert.doesNotMatch(await saved.innerText(), new RegExp(made.body.hmis_number), 'a new HMIS number');
    // The 409 that reported the duplicates is expected; the browser logs every failed load.
    const problems = page.problems.filter((p) => !/status of 409/.test(p));
    assert.deepEqual(problems, [], 'no console error');
    await page.context().close();
  });
});
