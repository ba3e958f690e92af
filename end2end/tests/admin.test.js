// The administrators' screens in the browser against the real server (SPEC section 1, P-4, P-5):
// an AgencyAdmin disables a caseworker, whose open session then fails; an AgencyAdmin cannot
// manage another agency's users (the control is absent, and the API refuses the call made
// directly); the audit viewer shows another agency's read of a client to a SystemAdmin and hides
// it from a third agency's admin. Screens at 1280x800 and 390x844 with axe, keyboard and the
// console guard.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { apiCall, artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start } from './harness.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = [['desktop', DESKTOP], ['phone', PHONE]];

/** The visible controls smaller than 44 px tall (links inside running text excepted). */
async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a, button, select, textarea, summary, input:not([type="checkbox"]):not([type="hidden"])')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (el.classList.contains('skip-link')) continue;
      if (el.tagName === 'A' && el.closest('p') && !el.closest('.audit-action')) continue;
      if (r.height < 44) out.push(`${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 30)}" ${Math.round(r.height)} px`);
    }
    return out;
  });
}

/** Screenshot at both sizes, with axe, no sideways scroll, and 44 px targets on the phone. */
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

/** Opens an app path and waits for its heading (which the route focuses). */
async function open(page, path, heading) {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** The user id of `username` as `page`'s administrator sees it (or undefined). */
async function userId(page, username) {
  const { body } = await apiCall(page, 'GET', '/users');
  return body.find?.((u) => u.username === username)?.id;
}

describe('admin', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  it('p5_an_agency_admin_disables_a_caseworker_whose_open_session_then_fails', async () => {
    // The caseworker is signed in, in a browser of their own.
    const cw = await newPage(env.browser, DESKTOP);
    await signIn(cw, 'shelter.cw');
    const admin = await newPage(env.browser, DESKTOP);
    await signIn(admin, 'shelter.admin');
    // Keyboard: the header's Admin link, then the users area.
    await admin.getByTestId('admin-link').focus();
    await admin.keyboard.press('Enter');
    await admin.getByTestId('admin-areas').waitFor();
    await shoot(admin, 'admin-home');
    await admin.getByTestId('admin-area').filter({ hasText: 'Users' }).click();
    await admin.getByTestId('user-list').waitFor();
    await shoot(admin, 'admin-users');
    await admin.locator('[data-test-id="user-row"][data-username="shelter.cw"]').click();
    await admin.getByTestId('user-facts').waitFor();
    assert.equal(await admin.getByTestId('user-status').innerText(), 'Active');
    await shoot(admin, 'admin-user');
    await admin.getByTestId('disable-user').click();
    await admin.getByTestId('disable-user-dialog').getByTestId('confirm').click();
    await admin.getByTestId('user-notice').waitFor();
    assert.match(await admin.getByTestId('user-notice').innerText(), /open sessions have ended/);
    await admin.waitForFunction(() => document.querySelector('[data-test-id="user-status"]')?.textContent === 'Disabled');
    assert.equal(await admin.getByTestId('enable-user').count(), 1, 'now offered: enable');

    // The caseworker's next step fails: they are sent to sign in, and told why.
    await cw.getByTestId('inbox-link').click();
    await cw.getByTestId('timed-out').waitFor();
    assert.ok(new URL(cw.url()).pathname === '/sign-in', cw.url());
    assert.match(await cw.getByTestId('timed-out').innerText(), /administrator disables your account/);
    // And cannot sign in again.
    await cw.getByTestId('username').fill('shelter.cw');
    await cw.getByTestId('password').fill('hearth-demo-2026');
    await cw.getByTestId('sign-in').click();
    await cw.getByTestId('sign-in-error').waitFor();
    assert.ok(cw.url().includes('/sign-in'));

    // The administrator enables the account again (so the other tests' caseworker is back).
    await admin.getByTestId('enable-user').click();
    await admin.waitForFunction(() => document.querySelector('[data-test-id="user-status"]')?.textContent === 'Active');
    assert.deepEqual(admin.problems, [], 'no console error (admin)');
    await cw.close();
    await admin.close();
  });

  it('section1_an_agency_admin_cannot_manage_another_agencys_users', async () => {
    const sys = await newPage(env.browser, DESKTOP);
    await signIn(sys, 'coc.admin');
    const otherId = await userId(sys, 'housing.cw');
    const housingOrg = (await apiCall(sys, 'GET', `/users/${otherId}`)).body.org.id;
    await sys.close();

    const page = await newPage(env.browser, PHONE);
    await signIn(page, 'shelter.admin');
    await open(page, '/admin/users', 'Users');
    await page.getByTestId('user-list').waitFor();
    const names = await page.locator('[data-test-id="user-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.username));
    assert.ok(names.includes('shelter.cw'), `${names}`);
    assert.ok(!names.includes('housing.cw'), 'another agency\'s user is not listed');
    // Their page offers no control at all: the account is not found for this administrator.
    await page.goto(`/admin/users/${otherId}`);
    await page.getByTestId('error').waitFor();
    assert.equal(await page.getByTestId('disable-user').count(), 0);
    assert.equal(await page.getByTestId('save-user').count(), 0);
    assert.equal(await page.getByTestId('reset-password').count(), 0);
    // The new-user form's agency is their own: no choice of another.
    await open(page, '/admin/users', 'Users');
    assert.equal(await page.getByTestId('field-org').count(), 0);
    // A system administrator's role is not among the choices.
    const roles = await page.getByTestId('new-user-form').locator('select[name="role"] option').allInnerTexts();
    assert.ok(!roles.includes('System administrator'), `${roles}`);

    // Called directly from the page's session, the API refuses: creating a user in the other
    // agency is 403 with the shared reason; changing their user is 404 (the rule hides that the
    // account exists, shared::admin::look_up_user).
    const create = await apiCall(page, 'POST', '/users', {
      json: { org: housingOrg, username: 'sneaky.user', display_name: 'Sneaky', role: 'Caseworker', password: 'a long enough password 2026' },
      headers: { 'idempotency-key': 'k'.repeat(32) },
    });
    assert.equal(create.status, 403, JSON.stringify(create.body));
    assert.equal(create.body.reason.code, 'agency_admins_manage_own_agency_only');
    const disable = await apiCall(page, 'PATCH', `/users/${otherId}`, { json: { disabled: true } });
    assert.equal(disable.status, 404);
    const reset = await apiCall(page, 'POST', `/users/${otherId}/password`, { json: { password: 'a long enough password 2026' } });
    assert.equal(reset.status, 404);
    // A caseworker has no Admin link, and the admin home says why.
    assert.deepEqual(page.problems.filter((p) => !/status of 404/.test(p)), [], 'no console error');
    await page.close();
    const cwPage = await newPage(env.browser, PHONE);
    await signIn(cwPage, 'outreach.cw');
    assert.equal(await cwPage.getByTestId('admin-link').count(), 0);
    await open(cwPage, '/admin', 'Administration');
    assert.equal(await cwPage.getByTestId('page-refused').getAttribute('data-reason'), 'OnlyAdministratorsManageUsers');
    await cwPage.close();
  });

  it('p4_the_audit_viewer_shows_another_agencys_read_of_a_client_to_a_system_admin_and_hides_it_from_a_third_agencys_admin', async () => {
    // Eno River Housing reads a client Bull City Shelter entered.
    const reader = await newPage(env.browser, DESKTOP);
    await signIn(reader, 'housing.cw');
    await searchAndOpenClient(reader, 'Rivera', /Rivera, Alex/);
    const hmis = (await reader.getByText(/H\d{7}/).first().innerText()).match(/H\d{7}/)[0];
    await reader.close();

    // The SystemAdmin filters the log by the client's HMIS number, by keyboard and the form.
    const sys = await newPage(env.browser, DESKTOP);
    await signIn(sys, 'coc.admin');
    await open(sys, '/admin/audit', 'Audit log');
    await sys.getByTestId('filter-hmis').fill(hmis);
    await sys.getByTestId('filter-hmis').press('Enter');
    await sys.waitForURL(`**/admin/audit?**hmis_number=${hmis}**`);
    const entry = sys.locator(`[data-test-id="audit-entry"][data-username="housing.cw"][data-hmis="${hmis}"]`)
      .filter({ hasText: 'read client profile' });
    await entry.first().waitFor();
    assert.match(await entry.first().getByTestId('audit-action').innerText(), /read client profile/);
    assert.notEqual((await entry.first().getByTestId('audit-reason').innerText()).trim(), '', 'the reason is shown');
    // The query is in the URL: a reload shows the same entries.
    await sys.reload();
    await entry.first().waitFor();
    assert.equal(await sys.getByTestId('filter-hmis').inputValue(), hmis);
    await shoot(sys, 'admin-audit');
    // The export link carries the same filters.
    const href = await sys.getByTestId('audit-export').getAttribute('href');
    assert.ok(href.startsWith('/api/v1/audit.csv?') && href.includes(`hmis_number=${hmis}`), href);
    const csv = await sys.request.get(`${sys.base}${href}`);
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /housing\.cw/);
    assert.deepEqual(sys.problems, [], 'no console error (system admin)');
    await sys.close();

    // Triangle Outreach's admin, filtering the same way, sees none of Eno River Housing's reads.
    const third = await newPage(env.browser, PHONE);
    await signIn(third, 'outreach.admin');
    await third.goto(`/admin/audit?hmis_number=${hmis}`);
    await third.getByTestId('audit-export').waitFor();
    assert.equal(await third.locator('[data-test-id="audit-entry"][data-username="housing.cw"]').count(), 0);
    assert.equal(await third.getByTestId('filter-organization').count(), 0, 'no choice of another agency');
    // Asking for another agency's entries directly is refused.
    const housing = (await apiCall(third, 'GET', '/organizations')).body.find((o) => /Eno River/.test(o.name));
    const res = await apiCall(third, 'GET', `/audit?organization=${housing.id}`);
    assert.equal(res.status, 403);
    const exp = await apiCall(third, 'GET', `/audit.csv?organization=${housing.id}`);
    assert.equal(exp.status, 403);
    assert.deepEqual(third.problems, [], 'no console error (third agency)');
    await third.close();
  });

  it('section1_a_system_admin_manages_organizations_and_programs_with_the_shared_project_types', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'coc.admin');
    await open(page, '/admin/organizations', 'Organizations');
    await page.getByTestId('org-list').waitFor();
    await shoot(page, 'admin-organizations');
    // A name taken by another organization is refused next to the field.
    const taken = (await apiCall(page, 'GET', '/organizations')).body[0].name;
    await page.getByTestId('new-org-form').getByTestId('field-name').fill(taken);
    await page.getByTestId('create-org').click();
    await page.getByTestId('new-org-form').getByTestId('field-error').waitFor();
    await page.getByTestId('new-org-form').getByTestId('field-name').fill('Bull Durham Recovery');
    await page.getByTestId('create-org').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test-id="org-row"] input')]
      .some((i) => i.value === 'Bull Durham Recovery'));

    await open(page, '/admin/programs', 'Programs');
    await page.getByTestId('program-list').waitFor();
    const form = page.getByTestId('new-program-form');
    await form.getByTestId('field-name').fill('Night shelter');
    await form.locator('select[name="hud_project_type"]').selectOption({ label: 'Emergency Shelter - Night-by-Night' });
    await form.getByTestId('create-program').click();
    await page.getByTestId('program-row').filter({ hasText: 'Night shelter' }).waitFor();
    await shoot(page, 'admin-programs');
    // The one failed request is the refused duplicate name, answered 409 on purpose above.
    assert.deepEqual(page.problems.filter((p) => !/status of 409/.test(p)), [], 'no console error');
    await page.close();
  });
});
