// The MOU editor (S-4, S-6): a SystemAdmin creates an MOU between Bull City Shelter and Eno
// River Housing, sees the checklist of what is missing until the last signature and the signed
// document are in, reads the impact preview, completes the MOU (it becomes active by itself),
// and a shelter caseworker then reads exactly the forms the preview counted. Everyone else never
// sees the editor's link, and its address says it is for system administrators.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { adminAreas, apiCall, openAdminArea, artifacts, axeViolations, newPage, signIn, start } from './harness.js';

const VIEWPORTS = [
  ['desktop', { width: 1280, height: 800 }],
  ['phone', { width: 390, height: 844 }],
];
const SHELTER = 2;
const HOUSING = 3;
const DEMO_CLIENTS = 36;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

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
    return out;
  });
}

/** Screenshots at both sizes, axe at each, no sideways scroll, 44 px targets on the phone. */
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

/** How many of Eno River Housing's forms the page's user reads, over every demo client file. */
async function housingFormsRead(page) {
  let n = 0;
  for (let id = 1; id <= DEMO_CLIENTS; id++) {
    const { status, body } = await apiCall(page, 'GET', `/clients/${id}`);
    assert.equal(status, 200, `client ${id}`);
    n += body.records.filter((r) => r.meta.kind === 'Form' && r.meta.provenance.org === HOUSING).length;
  }
  return n;
}

/** Records one organization's head's signature on the MOU page. */
async function sign(page, org, name) {
  const party = page.locator(`[data-test-id="mou-party"][data-org-id="${org}"]`);
  await party.getByTestId('sign-name').fill(name);
  await party.getByTestId('sign-title').fill('Executive Director');
  await party.getByTestId('sign-submit').click();
  await page.locator(`[data-test-id="mou-party"][data-org-id="${org}"][data-signed="true"]`).waitFor();
}

describe('mou', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  it('S-6: an MOU is active only once signed and attached, and the shelter then reads exactly the forms its impact preview counted', async () => {
    const cw = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(cw, 'shelter.cw');
    const before = await housingFormsRead(cw);

    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'coc.admin');
    await openAdminArea(page, 'MOUs');
    await page.getByTestId('mou-list').waitFor();
    await shoot(page, 'mou-list');

    // Create: name, the two agencies, dates (today for a year by default).
    await page.getByTestId('mou-name').fill('Shelter and Housing Compact');
    await page.locator(`[data-test-id="mou-org"][data-org-id="${SHELTER}"]`).check();
    await page.locator(`[data-test-id="mou-org"][data-org-id="${HOUSING}"]`).check();
    await page.getByTestId('mou-submit').click();
    await page.waitForURL(/\/admin\/mous\/\d+$/);
    const status = page.getByTestId('mou-status');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-status'), 'incomplete');
    const missing = page.getByTestId('mou-missing');
    assert.deepEqual(await missing.allInnerTexts(), [
      "The signature of Bull City Shelter's head",
      "The signature of Eno River Housing's head",
      'The signed document',
    ]);
    await page.getByTestId('impact-activate').getByTestId('impact-table').waitFor();

    // The preview, before anything is signed: the shelter newly reads Eno River's shared forms.
    const row = page.locator(`[data-test-id="impact-row"][data-reader="${SHELTER}"][data-owner="${HOUSING}"][data-kind="Form"]`);
    const counted = Number(await row.getAttribute('data-records'));
    assert.ok(counted > 0, 'the demo has Eno River forms shared by ROI/MOU');
    const sentences = await page.getByTestId('impact-sentence').allInnerTexts();
    assert.ok(
      sentences.some((s) => new RegExp(`^Bull City Shelter will newly read ${counted} forms.* on \\d+ clients entered by Eno River Housing\\.$`).test(s)),
      sentences.join(' | '),
    );
    assert.ok(sentences.every((s) => !/H000\d/.test(s)), 'no client is named');

    // One signature: still incomplete, nothing shared yet.
    await sign(page, SHELTER, 'Pat Morgan');
    assert.equal(await status.getAttribute('data-status'), 'incomplete');
    assert.equal(await missing.count(), 2);
    assert.equal(await housingFormsRead(cw), before, 'one signature shares nothing');

    // The document: then only the last signature is missing, and the page says it completes it.
    await page.getByTestId('mou-attach-file').setInputFiles({ name: 'mou.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('mou-attach-submit').click();
    await page.getByTestId('mou-document').waitFor();
    assert.equal(await missing.count(), 1);
    assert.match(await page.getByTestId('sign-completes').innerText(), /^Signing this completes the MOU: it becomes active on \d{4}-\d\d-\d\d/);
    assert.equal(await housingFormsRead(cw), before, 'a signature missing shares nothing');
    await page.getByTestId('impact-activate').getByTestId('impact-table').waitFor();
    await shoot(page, 'mou-last-step');

    // Keyboard: the last signature, typed and submitted without the mouse.
    const party = page.locator(`[data-test-id="mou-party"][data-org-id="${HOUSING}"]`);
    await party.getByTestId('sign-name').focus();
    await page.keyboard.type('Chris Alvarez');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Executive Director');
    await page.keyboard.press('Enter');
    await page.locator(`[data-test-id="mou-party"][data-org-id="${HOUSING}"][data-signed="true"]`).waitFor();
    assert.equal(await status.getAttribute('data-status'), 'active');
    assert.equal(await page.getByTestId('mou-checklist').count(), 0);

    // The shelter now reads exactly the forms the preview counted.
    assert.equal(await housingFormsRead(cw), before + counted, 'what the preview counted');
    await cw.goto('/clients/2/forms');
    await cw.getByTestId('section-forms').waitFor();
    await cw.getByTestId('record').first().waitFor();
    assert.ok((await cw.getByTestId('section-forms').innerText()).includes('Eno River Housing'));

    // Early termination: the dialog shows what each agency loses from that day.
    await page.getByTestId('mou-terminate-open').click();
    const dialog = page.getByTestId('mou-terminate-dialog');
    await dialog.getByTestId('impact-table').waitFor();
    const lost = Number(await dialog.locator(`[data-test-id="impact-row"][data-reader="${SHELTER}"][data-owner="${HOUSING}"][data-kind="Form"]`).getAttribute('data-records'));
    assert.equal(lost, counted);
    await shoot(page, 'mou-terminate');
    await dialog.getByTestId('mou-terminate-confirm').click();
    await page.locator('[data-test-id="mou-status"][data-status="terminated"]').waitFor();
    assert.equal(await housingFormsRead(cw), before, 'terminated: back to what it read before');

    assert.deepEqual(page.problems, [], 'no console error');
    assert.deepEqual(cw.problems, [], 'no console error');
    await page.close();
    await cw.close();
  });

  it('S-6: the editor is for system administrators: no link for others, and its address says why', async () => {
    const page = await newPage(env.browser, { width: 390, height: 844 });
    await signIn(page, 'shelter.admin');
    assert.ok(!(await adminAreas(page)).includes('MOUs'));
    await page.goto('/admin/mous');
    const refused = page.getByTestId('mous-refused');
    await refused.waitFor();
    assert.match(await refused.innerText(), /for the CoC's system administrators/);
    assert.equal(await page.getByTestId('mou-form').count(), 0);
    const { status } = await apiCall(page, 'GET', '/mous/1/impact?change=terminate');
    assert.equal(status, 403);
    await shoot(page, 'mou-refused');
    assert.deepEqual(page.problems, [], 'no console error');
    await page.close();
  });
});
