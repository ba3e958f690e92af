// A caseworker's working day in the client file, in the browser against the real server: services
// and notes (S-9, R-11, R-12), contact rows changed at the client's direction, and an intake
// value another agency entered. Each hidden or disabled control is also tried against the
// API directly, to show the server refuses it with the reason the screen shows (P-1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start } from './harness.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = [['desktop', DESKTOP], ['phone', PHONE]];

/** Opens a section tab of the open client file and waits for its heading to take the focus. */
async function openSection(page, slug) {
  await page.getByTestId(`tab-${slug}`).click();
  await page.getByTestId(`section-${slug}`).waitFor();
  await page.waitForFunction(
    (s) => document.activeElement?.closest(`[data-test-id="section-${s}"]`) !== null,
    slug,
  );
}

/** The visible controls smaller than 44 px tall (links inside running text excepted). */
async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a, button, select, textarea, summary, input:not([type="checkbox"]):not([type="hidden"])')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (el.classList.contains('skip-link')) continue;
      if (el.tagName === 'A' && el.closest('p')) continue;
      if (r.height < 44) out.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(r.height)} px`);
    }
    for (const el of document.querySelectorAll('input[type="checkbox"]')) {
      const row = el.closest('.check-row');
      if (!row || row.getBoundingClientRect().height < 44) out.push(`checkbox ${el.id}`);
    }
    return out;
  });
}

/** Screenshot at both sizes (the current page, then again at the other size) and axe at each. */
async function shoot(page, name) {
  const original = page.viewportSize();
  for (const [label, vp] of VIEWPORTS) {
    await page.setViewportSize(vp);
    await page.screenshot({ path: join(artifacts, `${name}-${label}.png`), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], `${name} at ${label}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, `${name} at ${label} scrolls sideways`);
    if (label === 'phone') assert.deepEqual(await smallTargets(page), [], `${name}: tap targets under 44 px`);
  }
  await page.setViewportSize(original);
}

/**
 * Calls the API directly with the page's session (its cookies) and the CSRF header, as a script
 * could, bypassing the screen: `{ status, body }`.
 */
async function api(page, method, path, body) {
  const res = await page.request.fetch(`${page.base}/api/v1${path}`, {
    method,
    headers: { 'x-hearth-csrf': '1' },
    data: body,
  });
  let json = null;
  try { json = await res.json(); } catch { /* no body */ }
  return { status: res.status(), body: json };
}

describe('caseworker in the client file', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  it('s9_caseworker_adds_a_service_and_a_note_and_cannot_delete_the_service', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    // Keyboard: on a freshly loaded page the first Tab reaches the skip link, which moves the
    // focus to the page's content.
    await page.reload();
    await page.getByTestId('search-input').waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await searchAndOpenClient(page, 'Rivera', /Rivera, Alex/);
    assert.match(await page.title(), /^Overview · Alex Lee Rivera · Hearth$/);
    await shoot(page, 'client-overview');

    await openSection(page, 'services');
    assert.match(await page.title(), /^Services · Alex Lee Rivera · Hearth$/);
    await page.getByTestId('service-add-open').click();
    await page.getByLabel('What').selectOption({ label: 'Service transaction' });
    await page.getByTestId('service-description').fill('Bus pass for the week');
    await page.getByLabel('Case-management minutes').fill('15');
    await page.getByTestId('service-note').fill('Talked through the route to the clinic.');
    await shoot(page, 'service-form');
    await page.getByTestId('service-add').click();
    const card = page.getByTestId('record').filter({ hasText: 'Bus pass for the week' });
    await card.waitFor();
    assert.match(await card.innerText(), /Case-management note · Restricted to/);
    // the delete control is disabled and says why, computed in the browser.
    const why = card.getByTestId('service-delete-reason');
    assert.equal(await why.innerText(), 'Services, needs and referrals are never deleted');
    assert.ok(await card.getByTestId('service-delete-open').isDisabled());
    await shoot(page, 'services');
    // S-5: a caseworker may not lower the note's setting below the case-note default; the
    // server refuses it for the same reason.
    const setting = card.getByTestId('note-setting-reason');
    assert.equal(await setting.getAttribute('data-reason'), 'NeedsAgencyAdmin');
    assert.equal(await setting.innerText(), 'Lowering the security setting below its default needs an agency administrator of Bull City Shelter');

    // P-1: the server refuses the same delete with the same reason.
    const id = await card.getAttribute('data-record-id');
    const refused = await api(page, 'DELETE', `/records/${id}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason.code, 'services_are_never_deleted');
    assert.equal(refused.body.error, await why.innerText());
    const lowered = await api(page, 'PUT', `/records/${id}/security`, { security: 'ShareWithRoiMou' });
    assert.equal(lowered.status, 403);
    assert.equal(lowered.body.reason.code, 'needs_agency_admin');

    await openSection(page, 'notes');
    await page.getByTestId('note-text').fill('Prefers a call in the afternoon.');
    await page.getByTestId('note-add').click();
    const note = page.getByTestId('record').filter({ hasText: 'Prefers a call in the afternoon.' });
    await note.waitFor();
    assert.match(await note.getByTestId('visibility-badge').innerText(), /./);
    assert.equal(await note.getByTestId('note-delete-open').isDisabled(), false, 'the author may delete the note');
    await shoot(page, 'notes');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r1_date_of_birth_changed_by_another_agency_needs_documentation', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    // H0001002 was entered by Eno River Housing; Bull City Shelter's caseworker edits it.
    await searchAndOpenClient(page, 'H0001002', 'H0001002');
    const client = page.url().match(/clients\/(\d+)/)[1];
    await openSection(page, 'intake');
    const row = page.getByTestId('intake-DateOfBirth');
    assert.match(await row.innerText(), /Entered by Eno River Housing/);
    await row.getByTestId('intake-change').click();
    await row.getByTestId('intake-input').fill('1967-02-14');

    // Without documentation the save is disabled, and says why.
    const why = row.getByTestId('intake-save-reason');
    assert.equal(await why.innerText(), 'Needs written documentation: date of birth was entered by Eno River Housing');
    assert.ok(await row.getByTestId('intake-submit').isDisabled());
    await shoot(page, 'intake-needs-documentation');
    // P-1: the server refuses the same change for the same reason.
    const refused = await api(page, 'PATCH', `/clients/${client}/intake`, { field: 'date_of_birth', value: '1967-02-14' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason.code, 'needs_documentation');
    assert.equal(await why.getAttribute('data-reason'), 'NeedsDocumentation');
    assert.match(refused.body.error, /^Needs written documentation: date of birth was entered by /);

    // the client has no document: a data conflict instead, the stored value kept.
    await row.getByTestId('record-conflict-open').click();
    assert.equal(await row.getByTestId('conflict-stated').inputValue(), '1967-02-14');
    await row.getByTestId('conflict-submit').click();
    await row.getByTestId('conflict-recorded').waitFor();
    await shoot(page, 'intake-conflict-recorded');
    assert.match(await row.getByTestId('intake-value').innerText(), /^1967-02-04$/);

    // With documentation the change is made, and the value is now this agency's.
    await page.reload();
    await page.getByTestId('section-intake').waitFor();
    const again = page.getByTestId('intake-DateOfBirth');
    await again.getByTestId('intake-change').click();
    await again.getByTestId('intake-input').fill('1967-02-14');
    await again.getByLabel('Documentation the client showed').selectOption({ label: 'birth certificate' });
    assert.equal(await again.getByTestId('intake-submit').isDisabled(), false);
    await again.getByTestId('intake-submit').click();
    await again.getByTestId('intake-value').filter({ hasText: '1967-02-14' }).waitFor();
    assert.match(await again.innerText(), /Entered by Bull City Shelter/);
    await shoot(page, 'intake');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r4_phone_changed_at_the_clients_direction_ends_the_old_row_and_writes_a_note', async () => {
    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'shelter.cw');
    // H0001002's phone row was entered by Eno River Housing.
    await searchAndOpenClient(page, 'H0001002', 'H0001002');
    const client = page.url().match(/clients\/(\d+)/)[1];
    await openSection(page, 'contacts');
    const phones = page.getByTestId('contacts-Phone');
    const old = phones.getByTestId('record').filter({ hasText: '(919) 555-0101' });
    await old.waitFor();
    const oldId = await old.getAttribute('data-record-id');

    // P-1: without the client's direction the server refuses to end the row, as the form says.
    const refused = await api(page, 'POST', `/records/${oldId}/end`, { end_date: '2026-11-30', client_directed: false });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason.code, 'needs_client_direction');
    assert.equal(refused.body.error, "Contact information changes only at the client's direction");

    await phones.getByTestId('contact-change-open').click();
    await phones.getByTestId('contact-value').fill('(919) 555-0199');
    // The form refuses it until the caseworker attests the client's direction.
    await phones.getByTestId('contact-save').click();
    assert.equal(await phones.getByTestId('field-error').first().innerText(), "Contact information changes only at the client's direction");
    await phones.getByTestId('contact-directed').check();
    // the correction note is pre-filled (and could be declined); Eno River Housing may be notified.
    assert.match(await phones.getByTestId('contact-note-preview').innerText(), /^Contact information corrected at the client's direction: new phone from \d{4}-\d{2}-\d{2}; the previous phone was end-dated\.$/);
    assert.ok(await phones.getByTestId('contact-notify').isChecked());
    await shoot(page, 'contact-change');
    await phones.getByTestId('contact-save').click();

    const fresh = phones.getByTestId('record').filter({ hasText: '(919) 555-0199' });
    await fresh.waitFor();
    const history = phones.getByTestId('contact-history');
    assert.match(await history.innerText(), /History: 1 ended row/);
    await history.locator('summary').click();
    assert.match(await history.getByTestId('record').filter({ hasText: '(919) 555-0101' }).innerText(), /From \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}/);
    await shoot(page, 'contacts');

    // The correction note is among the client's notes.
    await openSection(page, 'notes');
    await page.getByTestId('record').filter({ hasText: "Contact information corrected at the client's direction" }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
    void client;
  });

  it('r12_only_the_author_may_delete_a_note_and_the_server_says_the_same', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    // H0001003 belongs to Triangle Outreach Services; its profile note is theirs.
    await searchAndOpenClient(page, 'H0001003', 'H0001003');
    await openSection(page, 'notes');
    const note = page.getByTestId('record').filter({ hasText: 'SSN card on file at Triangle Outreach Services' });
    await note.waitFor();
    const why = note.getByTestId('note-delete-reason');
    assert.equal(await why.innerText(), 'Only the author may edit or delete this note');
    assert.ok(await note.getByTestId('note-delete-open').isDisabled());
    assert.ok(await note.getByTestId('note-edit-open').isDisabled());
    const id = await note.getAttribute('data-record-id');
    const refused = await api(page, 'DELETE', `/records/${id}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.reason.code, 'only_author');
    assert.equal(refused.body.error, await why.innerText());
    const edit = await api(page, 'PATCH', `/records/${id}`, { text: 'changed by someone else' });
    assert.equal(edit.status, 403);
    // One reason covers both controls (R-12: editing and deleting are the author's).
    assert.equal(edit.body.error, await why.innerText());
    await shoot(page, 'notes-other-author');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('s1_demographics_and_photo_are_replaced_by_any_agency_and_never_deleted', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001002', 'H0001002');
    await openSection(page, 'demographics');
    await page.getByTestId('demographics-edit-open').click();
    await page.getByLabel('Religious preference').fill('None');
    await page.getByTestId('demographics-save').click();
    await page.getByTestId('demographics').filter({ hasText: 'None' }).waitFor();
    assert.match(await page.getByTestId('demographics').innerText(), /Religious preference\s+None/);
    // Deleting is not offered; the reason is the shared decision's, and the server agrees.
    const card = page.getByTestId('record').filter({ hasText: 'Current demographics' });
    const why = card.getByTestId('demographics-delete-reason');
    const id = await card.getAttribute('data-record-id');
    const refused = await api(page, 'DELETE', `/records/${id}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, await why.innerText());
    assert.equal(await why.getAttribute('data-reason'), 'NotCovered');

    // A photo: a PNG, shown with its alternative text.
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    await page.getByTestId('photo-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    await page.getByTestId('photo').waitFor();
    assert.equal(await page.getByTestId('photo').getAttribute('alt'), 'Photo of Jordan Brooks');
    await shoot(page, 'demographics');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
