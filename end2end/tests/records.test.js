// The record sections of a client's file as a caseworker uses them: enrollments and their
// timeline, case managers, attachments and forms (S-5). Each control the
// browser hides or disables is also tried directly on the API: the server refuses it with the
// reason the page showed (P-1).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  apiCall, artifacts, axeViolations, newPage, openSection, searchAndOpenClient, signIn, start,
} from './harness.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];
const SECTIONS = ['enrollments', 'case-managers', 'attachments', 'forms'];
// A tiny valid PDF (the server checks the content).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

function clientId(page) {
  const m = /\/clients\/(\d+)/.exec(page.url());
  assert.ok(m, `a client's file is open: ${page.url()}`);
  return Number(m[1]);
}

/** The server's refusal text with its "organization #N" written as the client file names them. */
async function serverWords(page, id, error) {
  const { body } = await apiCall(page, 'GET', `/clients/${id}`);
  return error.replace(/organization #(\d+)/g, (_, n) => body.org_names.find((o) => o.id === Number(n))?.name ?? _);
}

async function noPageOverflow(page) {
  const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= inner, `no horizontal page overflow (${scroll} > ${inner})`);
}

describe('record sections', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  it('r9_social_security_card_upload_is_refused_with_the_alternative_explained', async () => {
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001001', 'H0001001');
    const id = clientId(page);
    await openSection(page, 'attachments');
    const uploads = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/attachments')) uploads.push(r.url());
    });
    const type = page.getByTestId('section-attachments').locator('select[name="document_type"]');
    await type.selectOption({ label: 'Social Security card' });
    const refused = page.getByTestId('upload-refused');
    await refused.waitFor();
    const text = (await refused.locator('p').first().innerText()).trim();
    assert.match(text, /A Social Security card is never uploaded/);
    assert.match(text, /holds a copy/);
    assert.equal(await page.getByTestId('upload-submit').count(), 0, 'no upload button for a Social Security card');
    assert.equal(uploads.length, 0, 'nothing was sent');
    // The API refuses it with the same words (P-1).
    const direct = await apiCall(page, 'POST', `/clients/${id}/attachments?document_type=SocialSecurityCard&file_name=ssn.pdf`,
      { data: PDF, headers: { 'content-type': 'application/pdf' } });
    assert.equal(direct.status, 403, JSON.stringify(direct.body));
    assert.equal(direct.body.error, text);
    // The alternative: a "copy on file" notice, uploaded.
    await page.getByTestId('use-copy-on-file').click();
    assert.equal(await refused.count(), 0);
    await page.getByTestId('upload-file').setInputFiles({ name: 'ssn-copy-on-file.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('upload-submit').click();
    await page.getByTestId('record').filter({ hasText: 'Notice: SSN card copy on file' }).waitFor();
    assert.equal(uploads.length, 1);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r6_caseworker_enrolls_the_client_in_an_own_program_and_exits_it', async () => {
    const page = await newPage(env.browser, { width: 390, height: 844 });
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001004', 'H0001004');
    await openSection(page, 'enrollments');
    const form = page.getByTestId('enrollment-form');
    // Only the own agency's programs are offered.
    const offered = await form.locator('select[name="program_id"] option').allInnerTexts();
    assert.ok(offered.length > 0 && offered.every((o) => o.startsWith('Bull City')), `own programs only: ${offered}`);
    await form.locator('select[name="program_id"]').selectOption({ label: offered.find((o) => o.includes('Transitional')) });
    await page.getByTestId('enrollment-case-name').fill('Household E2E');
    await page.getByTestId('enrollment-add').click();
    const card = page.getByTestId('record').filter({ hasText: 'Household E2E' });
    await card.waitFor();
    assert.match(await card.innerText(), /ongoing/);
    await card.getByTestId('enrollment-exit-open').click();
    await card.getByTestId('enrollment-exit-save').click();
    await card.filter({ hasText: /exit \d{4}-\d{2}-\d{2}/ }).waitFor();
    assert.equal(await card.getByTestId('enrollment-exit-open').count(), 0, 'an exited enrollment has no exit button');
    await noPageOverflow(page);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r7_timeline_marks_an_overlap_and_opens_an_entry_exit_conflict', async () => {
    // Demo client H0001031: moved into Eno Rapid Re-Housing a week before the Bull City shelter exit.
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'housing.cw');
    await searchAndOpenClient(page, 'H0001031', 'H0001031');
    const id = clientId(page);
    // The server records detections nightly and on every enrollment write: write one (Eno's own
    // housing enrollment, unchanged) so that this detection is recorded now.
    const { body: list } = await apiCall(page, 'GET', `/clients/${id}/enrollments`);
    const housing = list.records.find((r) => r.details?.program_name === 'Eno Rapid Re-Housing');
    const touched = await apiCall(page, 'PATCH', `/records/${housing.meta.id}`, { json: { case_name: housing.details.case_name } });
    assert.equal(touched.status, 200, JSON.stringify(touched.body));
    await openSection(page, 'enrollments');
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    assert.ok((await page.getByTestId('timeline-mark').count()) >= 1, 'the overlap is marked on the axis');
    assert.match(await timeline.locator('title').textContent(), /Enrollments of/);
    assert.match(await timeline.locator('desc').textContent(), /date conflict/);
    const overlap = page.getByTestId('overlap').filter({ hasText: 'before the exit from a shelter' });
    await overlap.waitFor();
    // Eno's own enrollment is corrected directly; the shelter's is questioned.
    assert.match(await overlap.getByTestId('open-conflict-reason').innerText(), /may correct it directly/);
    const open = overlap.getByTestId('open-conflict');
    assert.match(await open.innerText(), /Bull City Emergency Shelter/);
    await open.click();
    await overlap.getByTestId('conflict-opened').waitFor();
    const { body } = await apiCall(page, 'GET', `/entry-exit-conflicts?client=${id}`);
    const detection = body.find((d) => d.issue === 'HousedDuringResidentialStay');
    assert.ok(detection?.conflict, `the detection now has its conflict: ${JSON.stringify(body)}`);
    // Opening it about the own agency's enrollment is refused by the server with the same words.
    // the housing enrollment (`first`) is Eno River Housing's own.
    const again = await apiCall(page, 'POST', `/entry-exit-conflicts/${detection.id}/open`, { json: { enrollment: detection.first } });
    assert.equal(again.status, 422, JSON.stringify(again.body));
    assert.match(again.body.error, /may correct it directly/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('p1_refused_record_controls_are_refused_by_the_server_with_the_reason_the_page_shows', async () => {
    // H0001002 is Eno River Housing's client; Bull City Shelter reads its tier-2 records.
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001002', 'H0001002');
    const id = clientId(page);
    const checks = [
      ['enrollments', 'enrollment-edit-reason', (r) => ['PATCH', `/records/${r}`, { case_name: 'Changed' }]],
      ['case-managers', 'case-manager-end-reason', (r) => ['POST', `/records/${r}/end`, { end_date: '2026-01-01' }]],
      ['attachments', 'attachment-edit-reason', (r) => ['DELETE', `/records/${r}`, undefined]],
    ];
    for (const [section, reasonId, request] of checks) {
      await openSection(page, section);
      const card = page.getByTestId('record').filter({ has: page.getByTestId(reasonId) }).first();
      await card.waitFor();
      const shown = (await card.getByTestId(reasonId).innerText()).trim();
      const record = await card.getAttribute('data-record-id');
      const [method, path, json] = request(record);
      const res = await apiCall(page, method, path, json === undefined ? {} : { json });
      assert.equal(res.status, 403, `${section}: ${JSON.stringify(res.body)}`);
      assert.equal(await serverWords(page, id, res.body.error), shown, section);
    }
    await page.context().close();

    // Forms: Eno River Housing reads Bull City Shelter's shared forms of H0001001 under an ROI.
    const other = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(other, 'housing.cw');
    await searchAndOpenClient(other, 'H0001001', 'H0001001');
    const cid = clientId(other);
    await openSection(other, 'forms');
    const form = other.getByTestId('record').filter({ has: other.getByTestId('form-edit-reason') }).first();
    await form.waitFor();
    const shown = (await form.getByTestId('form-edit-reason').innerText()).trim();
    const record = await form.getAttribute('data-record-id');
    const res = await apiCall(other, 'PUT', `/records/${record}/security`, { json: { security: 'RestrictToOrganization' } });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(await serverWords(other, cid, res.body.error), shown);
    // S-5: a caseworker is not offered a setting below the type's default, and the server agrees.
    await other.getByTestId('section-forms').locator('select[name="form_type"]').selectOption({ label: 'Health assessment' });
    const reasons = other.getByTestId('setting-reasons');
    await reasons.waitFor();
    assert.match(await reasons.innerText(), /Shared under ROI or MOU\. Lowering the security setting below its default needs an agency administrator of Eno River Housing/);
    const lowered = await apiCall(other, 'POST', `/clients/${cid}/forms`,
      { json: { form_type: 'Health', answers: {}, security: 'ShareWithRoiMou' } });
    assert.equal(lowered.status, 403, JSON.stringify(lowered.body));
    assert.match(await serverWords(other, cid, lowered.body.error), /needs an agency administrator of Eno River Housing/);
    assert.deepEqual(other.problems, []);
    await other.context().close();
  });

  for (const vp of VIEWPORTS) {
    it(`records_sections_are_accessible_and_fit_the_screen (${vp.name})`, async () => {
      const page = await newPage(env.browser, { width: vp.width, height: vp.height });
      await signIn(page, 'shelter.cw');
      await searchAndOpenClient(page, 'H0001031', 'H0001031');
      for (const section of SECTIONS) {
        await openSection(page, section);
        if (section === 'enrollments') await page.getByTestId('timeline').waitFor();
        if (section !== 'enrollments') await page.getByTestId('record').first().waitFor().catch(() => {});
        await page.screenshot({ path: join(artifacts, `${section}-${vp.name}.png`), fullPage: true });
        assert.deepEqual(await axeViolations(page), [], `the ${section} section (${vp.name})`);
        await noPageOverflow(page);
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
});
