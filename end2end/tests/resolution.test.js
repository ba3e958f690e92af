// Releases of information and conflicts, in the browser against the real server: an ROI set at
// one agency and what it then shows another agency's user (S-3), a restricted case note that
// leaves no trace for another agency (S-9), a data conflict logged and escalated once the shared
// thresholds are met, with the server's clock moved on, entry/exit detections,
// and controls the UI refuses, called on the API directly, refused with the same words.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  advanceClock, apiCall, artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start,
} from './harness.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const CSRF = { 'x-hearth-csrf': '1' };

// A tiny PDF standing in for a scanned, signed release.
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

/** The client id of the open client file (from the URL). */
function clientId(page) {
  const m = /\/clients\/(\d+)/.exec(page.url());
  assert.ok(m, `a client file is open: ${page.url()}`);
  return Number(m[1]);
}

/** Opens a section of the open client file by its tab and waits for it. */
async function openSection(page, slug) {
  await page.getByTestId(`tab-${slug}`).click();
  await page.getByTestId(`section-${slug}`).waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-test-id="loading"]'));
}

/** Screenshots the page at both sizes into artifacts/<name>-<size>.png, with axe-core at each. */
async function shootBothSizes(page, name) {
  for (const [size, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(50);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(wide, false, `${name} (${size}) scrolls sideways`);
    if (size === 'phone') {
      // Tap targets of at least 44 px: every control of the section (a checkbox by its row,
      // whose label takes the tap too).
      const small = await page.evaluate(() => {
        const section = document.querySelector('section.section');
        const out = [];
        for (const el of section.querySelectorAll('button, a, select, input, textarea, summary')) {
          const target = el.type === 'checkbox' ? el.closest('.choice') : el;
          const box = target.getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          if (box.height < 44) out.push(`${el.outerHTML.slice(0, 80)}: ${Math.round(box.height)} px`);
        }
        return out;
      });
      assert.deepEqual(small, [], `${name}: tap targets under 44 px`);
    }
    await page.screenshot({ path: join(artifacts, `${name}-${size}.png`), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], `${name} (${size})`);
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * The page's console problems, less the one failed request per refusal the test itself provoked
 * (Chromium logs every 4xx answer as "Failed to load resource"): `expected` lists their statuses.
 */
function problemsBesides(page, expected = []) {
  const left = [...expected];
  return page.problems.filter((p) => {
    const i = left.findIndex((s) => p.includes(`status of ${s}`));
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

describe('releases and conflicts', () => {
  let env;
  before(async () => {
    env = await start({ testClock: true });
  });
  after(async () => {
    await env?.stop();
  });

  it('s3_a_release_within_the_reminder_window_is_marked_as_ending_soon', async () => {
    // A release of H0001004 (Bull City Shelter and Eno River Housing) that ends in 12 days.
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    const { today } = (await apiCall(page, 'GET', '/session')).body;
    const day = (n) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
    const set = await apiCall(page, 'POST', '/clients/4/rois', {
      json: { organizations: [2, 3], start: day(-300), end: day(12), attested: true },
    });
    assert.equal(set.status, 201, JSON.stringify(set.body));
    await searchAndOpenClient(page, 'H0001004', 'H0001004');
    await openSection(page, 'releases');
    // (This test runs before the one that moves the server's clock on.)
    await page.getByTestId('roi-list').waitFor();
    await page.screenshot({ path: join(artifacts, 'releases-ending-soon-desktop.png'), fullPage: true });
    const left = page.locator('[data-test-id="roi-days-left"].roi-ending-soon');
    await left.waitFor();
    assert.equal(await left.innerText(), 'Ends in 12 days');
    assert.deepEqual(await axeViolations(page), [], 'a release ending soon');
    await page.close();
  });

  it('s3_roi_created_at_one_agency_reveals_records_to_another_agency', async () => {
    // H0001002 is Eno River Housing's client; Bull City Shelter has no ROI or MOU with it.
    const shelter = await newPage(env.browser, DESKTOP);
    await signIn(shelter, 'shelter.cw');
    await searchAndOpenClient(shelter, 'H0001002', 'H0001002');
    const forms = shelter.locator('[data-test-id="record"][data-kind="Form"]');
    await shelter.getByTestId('record').first().waitFor();
    assert.equal(await forms.count(), 0, 'no form of Eno River Housing is shown to Bull City Shelter');

    const housing = await newPage(env.browser, DESKTOP);
    await signIn(housing, 'housing.cw');
    await searchAndOpenClient(housing, 'H0001002', 'H0001002');
    await openSection(housing, 'releases');
    await housing.getByTestId('empty').waitFor();
    // S-3: the ROI must name the user's agency and one other: with only their own, the shared
    // decision says so and the button is disabled.
    await housing.getByTestId('roi-create-reason').waitFor();
    assert.equal(
      await housing.getByTestId('roi-create-reason').innerText(),
      'An ROI must name your agency and at least one other',
    );
    await housing.getByLabel('Bull City Shelter').check();
    await housing.getByTestId('roi-create-reason').waitFor({ state: 'detached' });
    // Without the attestation the server refuses, next to the checkbox.
    await housing.getByTestId('roi-submit').click();
    const attestError = housing.locator('#roi-new-attested-error');
    await attestError.waitFor();
    assert.match(await attestError.innerText(), /signed release is on file/);
    await housing.getByTestId('roi-attested').check();
    await housing.getByTestId('roi-scan').setInputFiles({ name: 'release.pdf', mimeType: 'application/pdf', buffer: PDF });
    await housing.getByTestId('roi-submit').click();
    await housing.getByTestId('roi-created').waitFor();
    const roi = housing.getByTestId('roi');
    await roi.waitFor();
    assert.equal(await roi.getAttribute('data-status'), 'Active');
    assert.match(await roi.getByTestId('roi-orgs').innerText(), /Bull City Shelter/);
    assert.match(await roi.getByTestId('roi-orgs').innerText(), /Eno River Housing/);
    assert.match(await roi.getByTestId('roi-days-left').innerText(), /^Ends in \d+ days$/);
    // A year-long release is not within the policy's 30-day reminder window (P-2).
    assert.doesNotMatch(await roi.getByTestId('roi-days-left').getAttribute('class'), /roi-ending-soon/);
    // The scan went with it: it can be downloaded, and no second one attached.
    await roi.getByTestId('roi-download-link').waitFor();
    const href = await roi.getByTestId('roi-download-link').getAttribute('href');
    const download = await housing.request.get(href);
    assert.equal(download.status(), 200);
    assert.equal(download.headers()['content-type'], 'application/pdf');
    await shootBothSizes(housing, 'releases');

    // Now Bull City Shelter reads the forms Eno shares by ROI, and only those.
    await shelter.reload();
    await shelter.getByTestId('record').first().waitFor();
    await forms.first().waitFor();
    const badges = await forms.getByTestId('visibility-badge').allInnerTexts();
    assert.ok(badges.length > 0, 'the released forms are shown');
    for (const text of badges) assert.match(text, /^Shared with you by ROI #\d+ \(until \d{4}-\d{2}-\d{2}\)$/);
    assert.equal(await shelter.locator('[data-test-id="record"][data-agrees="false"]').count(), 0);
    assert.deepEqual(shelter.problems, []);
    assert.deepEqual(problemsBesides(housing, [422]), [], 'only the refused attestation');
    await shelter.context().close();
    await housing.context().close();
  });

  it('s9_restricted_case_note_is_invisible_to_another_agency_with_no_hint', async () => {
    // H0001001 is Bull City Shelter's, with an active ROI naming Eno River Housing: its
    // ShareWithRoiMou forms are released, its restricted ones never.
    const shelter = await newPage(env.browser, DESKTOP);
    await signIn(shelter, 'shelter.cw');
    await searchAndOpenClient(shelter, 'H0001001', 'H0001001');
    const id = clientId(shelter);
    const secret = 'Talked about the court date; do not share';
    const made = await shelter.request.post(`/api/v1/clients/${id}/forms`, {
      headers: CSRF,
      data: { form_type: 'CaseNotes', answers: { note: secret }, security: 'RestrictToOrganization' },
    });
    assert.equal(made.status(), 201, await made.text());
    await shelter.reload();
    await shelter.getByTestId('record').first().waitFor();
    const ownForms = await shelter.locator('[data-test-id="record"][data-kind="Form"]').count();

    const housing = await newPage(env.browser, DESKTOP);
    await signIn(housing, 'housing.cw');
    await searchAndOpenClient(housing, 'H0001001', 'H0001001');
    await housing.getByTestId('record').first().waitFor();
    const forms = housing.locator('[data-test-id="record"][data-kind="Form"]');
    const shown = await forms.count();
    assert.ok(shown > 0, 'the forms shared by ROI are shown');
    assert.ok(shown < ownForms, 'fewer forms than the owner sees');
    for (const text of await forms.getByTestId('visibility-badge').allInnerTexts()) {
      assert.match(text, /^Shared with you by ROI #\d+/);
    }
    // S-9: nothing hints at the restricted records: no notice, no word, no count.
    const text = await housing.locator('main').innerText();
    assert.ok(!text.includes(secret), 'the case note text is not shown');
    assert.doesNotMatch(text, /restricted/i);
    assert.doesNotMatch(text, /case note/i);
    assert.equal(await housing.getByTestId('hidden-note').count(), 0);
    // The lists the server sends hold only what the user may read.
    const list = await housing.request.get(`/api/v1/clients/${id}/forms`);
    assert.equal(list.status(), 200);
    const body = await list.json();
    assert.equal(body.records.length, shown, 'the list counts only the readable forms');
    assert.equal(body.withheld_by, undefined);
    assert.ok(!JSON.stringify(body).includes(secret));
    assert.deepEqual(housing.problems, []);
    assert.deepEqual(shelter.problems, []);
    await shelter.context().close();
    await housing.context().close();
  });

  it('s3_revoking_an_ended_roi_refused_in_the_ui_is_refused_by_the_server_with_the_same_reason', async () => {
    // H0001007's ROI (Bull City Shelter with Eno River Housing) was revoked five days ago.
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001007', 'H0001007');
    await openSection(page, 'releases');
    const roi = page.getByTestId('roi');
    await roi.waitFor();
    assert.equal(await roi.getAttribute('data-status'), 'Revoked');
    assert.ok(await roi.getByTestId('roi-revoke-open').isDisabled(), 'the revoke button is disabled');
    const shown = await roi.getByTestId('roi-revoke-reason').innerText();
    assert.equal(shown, 'Already ended');
    // No scan on it, and the ROI has ended: attaching one is refused with its reason too.
    assert.equal(await roi.getByTestId('roi-attach-reason').innerText(), 'Already ended');
    const roiId = await roi.getAttribute('data-roi-id');
    const res = await page.request.post(`/api/v1/rois/${roiId}/revoke`, { headers: CSRF });
    assert.equal(res.status(), 403);
    assert.equal((await res.json()).error, shown);
    await shootBothSizes(page, 'releases-revoked');
    // An active ROI of another client (H0001001) shows the revoke button enabled and the scan upload.
    await page.goto('/');
    await searchAndOpenClient(page, 'H0001001', 'H0001001');
    await openSection(page, 'releases');
    const active = page.locator('[data-test-id="roi"][data-status="Active"]');
    await active.first().waitFor();
    assert.ok(await active.first().getByTestId('roi-revoke-open').isEnabled());
    await active.first().getByTestId('roi-attach-file').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r7_entry_exit_conflict_detected_and_opened_against_the_other_agency', async () => {
    // H0001031: moved into Eno River Housing's rapid re-housing a week before Bull City
    // Shelter's exit (R-7's example).
    // The daily scan detects it (the jobs due run when the test clock is moved, here by nothing).
    await advanceClock(env, {});
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001031', 'H0001031');
    await openSection(page, 'conflicts');
    const detection = page.getByTestId('detection').first();
    await detection.waitFor();
    assert.match(await detection.innerText(), /move-in/i);
    // The shelter's own enrollment is corrected directly; the other agency's gets a conflict.
    await detection.getByTestId('entry-exit-own').waitFor();
    await detection.getByTestId('entry-exit-open').click();
    const conflict = page.locator('[data-test-id="conflict"]').first();
    await conflict.waitFor();
    assert.equal(await conflict.getAttribute('data-state'), 'open');
    assert.match(await conflict.innerText(), /Entry\/exit/);
    await detection.getByTestId('entry-exit-already').waitFor();
    assert.match(await detection.getByTestId('entry-exit-already').innerText(), /already opened conflict #\d+/);
    await shootBothSizes(page, 'conflicts-entry-exit');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r3_data_conflict_logged_three_times_and_escalated_after_fourteen_days', async () => {
    // H0001004's date of birth was entered by Bull City Shelter; the client tells Eno River
    // Housing another one and has no document.
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'housing.cw');
    await searchAndOpenClient(page, 'H0001004', 'H0001004');
    const id = clientId(page);
    // The intake links here with the field pre-selected.
    await page.goto(`/clients/${id}/conflicts?field=DateOfBirth`);
    await page.getByTestId('section-conflicts').waitFor();
    const select = page.getByTestId('conflict-field');
    await select.waitFor();
    assert.equal(await select.evaluate((s) => s.options[s.selectedIndex].text), 'Date of birth');
    assert.match(await page.getByTestId('conflict-stored').innerText(), /entered by Bull City Shelter/);
    // A bad date is named next to its field.
    await page.getByTestId('conflict-stated').fill('21/04/1980');
    await page.getByTestId('conflict-submit').click();
    await page.locator('#conflict-new-stated-error').waitFor();
    // By keyboard: the value typed, Enter submits.
    await page.getByTestId('conflict-stated').fill('1980-04-21');
    await page.getByTestId('conflict-stated').press('Enter');
    await page.getByTestId('conflict-created').waitFor();
    const card = page.getByTestId('conflict').first();
    await card.waitFor();
    assert.equal(await card.getAttribute('data-state'), 'open');
    assert.match(await card.getByTestId('conflict-values').innerText(), /the client states: 1980-04-21/);

    // Two unanswered attempts today.
    await card.getByTestId('attempt-submit').click();
    await card.getByTestId('attempt').first().waitFor();
    await card.getByTestId('field-how').selectOption({ label: 'Email' });
    await card.getByTestId('field-outcome').selectOption({ label: 'Left a message' });
    await card.getByTestId('attempt-submit').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-test-id="attempt"]').length === 2);
    // refused, saying exactly what is missing, and the button is disabled.
    const reason = card.getByTestId('conflict-escalate-reason');
    const missing = await reason.innerText();
    assert.match(missing, /still missing: 1 more contact attempt and \d+ more days? \(an attempt on or after \d{4}-\d{2}-\d{2}\)/);
    assert.ok(await card.getByTestId('conflict-escalate-open').isDisabled());
    // Point 4: the server refuses it too, in the same words.
    const conflictId = await card.getAttribute('data-conflict-id');
    const refused = await page.request.post(`/api/v1/conflicts/${conflictId}/escalate`, { headers: CSRF });
    assert.equal(refused.status(), 403);
    assert.equal((await refused.json()).error, missing);
    await shootBothSizes(page, 'conflicts');

    // Fourteen days later, a third unanswered attempt completes both thresholds.
    await advanceClock(env, { days: 14 });
    await signIn(page, 'housing.cw');
    await page.goto(`/clients/${id}/conflicts`);
    const again = page.getByTestId('conflict').first();
    await again.waitFor();
    assert.match(await again.getByTestId('conflict-escalate-reason').innerText(), /an attempt on or after/);
    await again.getByTestId('attempt-submit').focus();
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.querySelectorAll('[data-test-id="attempt"]').length === 3);
    await again.getByTestId('conflict-escalate-reason').waitFor({ state: 'detached' });
    await again.getByTestId('conflict-escalate-open').click();
    await page.getByTestId('conflict-escalate-open-dialog').getByTestId('confirm').click();
    await page.waitForFunction(
      () => document.querySelector('[data-test-id="conflict"]')?.getAttribute('data-state') === 'escalated',
    );
    assert.match(await again.getByTestId('conflict-state').innerText(), /^Escalated on \d{4}-\d{2}-\d{2}$/);
    assert.match(await again.innerText(), /Escalation note #\d+ added/);
    // The note is on the client's profile for every agency (tier 2).
    await openSection(page, 'notes');
    await page.getByText(/Data conflict #\d+: date of birth/).first().waitFor();
    await page.goto(`/clients/${id}/conflicts`);
    await page.getByTestId('conflict').first().waitFor();
    await page.getByTestId('detections-empty').waitFor();
    await shootBothSizes(page, 'conflicts-escalated');
    assert.deepEqual(problemsBesides(page, [422]), [], 'only the refused date');
    await page.context().close();
  });
});
