// The administrators' release reminders, agency ROI list and data-resolution queues (issue #14
// points 4 and 6): P-2's ROI reminder from the background job on the test clock, R-13 (HMIS
// number only), S-3's agency list of releases, R-3's queue of the conflicts addressed to an
// agency and R-8's data-center queue.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  adminAreas, advanceClock, apiCall, openAdminArea, artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start,
} from './harness.js';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Screenshots the page at both sizes into artifacts/<name>-<size>.png, with axe-core at each,
 * no sideways scroll, and 44 px tap targets on the phone (in the page's main card). */
async function shootBothSizes(page, name) {
  for (const [size, vp] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(vp);
    await page.waitForTimeout(50);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(wide, false, `${name} (${size}) scrolls sideways`);
    if (size === 'phone') {
      const small = await page.evaluate(() => {
        const out = [];
        for (const el of document.querySelectorAll('main button, main a, main select, main input')) {
          const box = el.getBoundingClientRect();
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

/** The ROI reminders in the open inbox. */
async function reminders(page) {
  await page.goto('/inbox');
  await page.getByTestId('inbox-summary').or(page.getByTestId('inbox-empty')).first().waitFor();
  return page.getByTestId('notification').filter({ hasText: 'Release of information' });
}

describe('admin queues', () => {
  let env;
  before(async () => {
    env = await start({ testClock: true });
  });
  after(async () => {
    await env?.stop();
  });

  it('p2_an_roi_ending_in_20_days_raises_one_reminder_when_the_job_runs', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    const { today } = (await apiCall(page, 'GET', '/session')).body;
    const day = (n) => new Date(Date.parse(`${today}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
    // H0001004 (client 4): a release of Bull City Shelter and Eno River Housing ending in 20 days.
    const set = await apiCall(page, 'POST', '/clients/4/rois', {
      json: { organizations: [2, 3], start: day(-300), end: day(20), attested: true },
    });
    assert.equal(set.status, 201, JSON.stringify(set.body));
    const roi = set.body.id;
    assert.equal(await (await reminders(page)).count(), 0, 'nothing before the job runs');

    // The job runs (moving the test clock runs what is due): one reminder.
    await advanceClock(env, {});
    let found = await reminders(page);
    assert.equal(await found.count(), 1);
    const text = await found.first().innerText();
    assert.match(text, new RegExp(`Release of information #${roi} for client H0001004 ends ${day(20)}`));
    // the HMIS number only, never the name.
    const { body: profile } = await apiCall(page, 'GET', '/clients/4');
    assert.ok(!text.includes(profile.intake.last_name), 'no name in the reminder');
    // Running the job again adds none.
    await advanceClock(env, {});
    found = await reminders(page);
    assert.equal(await found.count(), 1, 'once per ROI');
    await shootBothSizes(page, 'inbox-roi-reminder');
    // The reminder leads to the client's releases (by keyboard).
    const link = found.first().getByTestId('notification-link');
    assert.equal(await link.innerText(), 'Open the releases of H0001004');
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL('**/clients/4/releases');
    await page.getByTestId('roi-list').waitFor();
    assert.deepEqual(page.problems, [], 'no console error');
    await page.close();

    // The agency's administrator was reminded too, and sees it on the agency's list of releases.
    const admin = await newPage(env.browser, DESKTOP);
    await signIn(admin, 'shelter.admin');
    assert.equal(await (await reminders(admin)).count(), 1, "the agency's admin");
    await openAdminArea(admin, 'Releases');
    await admin.getByTestId('agency-rois').waitFor();
    const row = admin.locator(`[data-test-id="agency-roi"][data-roi-id="${roi}"]`);
    assert.equal(await row.getByTestId('agency-roi-status').innerText(), 'Ends in 20 days');
    // Revoked and expired releases stay listed; the filter keeps one status.
    assert.ok(await admin.locator('[data-test-id="agency-roi"][data-status="expired"]').count() > 0);
    await admin.getByTestId('roi-status-filter').selectOption('ending_soon');
    await admin.waitForFunction(() => [...document.querySelectorAll('[data-test-id="agency-roi"]')]
      .every((r) => r.dataset.status === 'ending_soon'));
    assert.equal(await row.count(), 1);
    await admin.getByTestId('roi-status-filter').selectOption('');
    await admin.getByTestId('roi-order').selectOption('latest');
    await shootBothSizes(admin, 'admin-releases');
    await row.locator('a').first().click();
    await admin.waitForURL('**/clients/4/releases');
    assert.deepEqual(admin.problems, [], 'no console error');
    await admin.close();

    // Nobody else: another agency's admin named on the ROI is not reminded.
    const other = await newPage(env.browser, DESKTOP);
    await signIn(other, 'housing.admin');
    assert.equal(await (await reminders(other)).count(), 0, 'not the setting agency');
    await other.close();
  });

  it('r3_an_agency_admin_sees_a_conflict_addressed_to_their_agency_in_the_queue_and_agrees', async () => {
    // Eno River Housing records a data conflict on H0001004's date of birth, which Bull City
    // Shelter entered: it is addressed to the shelter.
    const reporter = await newPage(env.browser, DESKTOP);
    await signIn(reporter, 'housing.cw');
    const opened = await apiCall(reporter, 'POST', '/clients/4/conflicts', {
      json: { field: 'date_of_birth', stated_value: '1980-04-21' },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const id = opened.body.id;
    // Caseworkers have no queue.
    assert.ok(!(await adminAreas(reporter)).includes('Queues'));
    await reporter.close();

    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.admin');
    await openAdminArea(page, 'Queues');
    await page.getByTestId('queue').waitFor();
    const item = page.locator(`[data-test-id="queue-item"][data-conflict-id="${id}"]`);
    await item.waitFor();
    assert.match(await item.getByTestId('queue-values').innerText(), /the client states: 1980-04-21/);
    assert.match(await item.getByTestId('queue-parties').innerText(), /H0001004 · opened today · reported by Eno River Housing/);
    assert.match(await item.getByTestId('queue-attempts').innerText(), /No contact attempt logged yet/);
    // Logging attempts is the reporting agency's step: the reason says so (not "no party").
    assert.match(await item.getByTestId('queue-attempt-reason').innerText(), /the reporting agency logs contact attempts/);
    await shootBothSizes(page, 'admin-queue');
    // Agreeing that the stored value stands resolves it, by keyboard.
    await item.getByTestId('queue-agree-stored').focus();
    await page.keyboard.press('Enter');
    await item.waitFor({ state: 'detached' });
    const { body: after } = await apiCall(page, 'GET', `/conflicts/${id}`);
    assert.equal(after.state.state, 'resolved');
    assert.deepEqual(page.problems, [], 'no console error');
    await page.close();
  });

  it('r8_a_system_admin_sees_the_entry_exit_conflict_escalated_to_the_data_center', async () => {
    // H0001031 moved into Eno River Housing's rapid re-housing a week before Bull City Shelter's
    // exit. The shelter opens a conflict about Eno River's enrollment.
    await advanceClock(env, {});
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    await searchAndOpenClient(page, 'H0001031', 'H0001031');
    await page.getByTestId('tab-conflicts').click();
    const detection = page.getByTestId('detection').first();
    await detection.waitFor();
    await detection.getByTestId('entry-exit-open').click();
    const card = page.locator('[data-test-id="conflict"]').first();
    await card.waitFor();
    const id = await card.getAttribute('data-conflict-id');
    const attempt = async (p) => {
      const { today } = (await apiCall(p, 'GET', '/session')).body;
      const r = await apiCall(p, 'POST', `/conflicts/${id}/attempts`, { json: { when: today, how: 'phone', outcome: 'no_answer' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    };
    await attempt(page);
    await attempt(page);
    await advanceClock(env, { days: 14 });
    await signIn(page, 'shelter.cw');
    await attempt(page);
    const escalated = await apiCall(page, 'POST', `/conflicts/${id}/escalate`);
    assert.equal(escalated.status, 200, JSON.stringify(escalated.body));
    await page.close();

    // The owning agency's admin has it in their queue meanwhile.
    const owner = await newPage(env.browser, DESKTOP);
    await signIn(owner, 'housing.admin');
    await owner.goto('/admin/queues');
    await owner.locator(`[data-test-id="queue-item"][data-conflict-id="${id}"]`).waitFor();
    await owner.close();

    // Not corrected 30 days after the request to review: the job sends it to the data center.
    await advanceClock(env, { days: 30 });
    const coc = await newPage(env.browser, DESKTOP);
    await signIn(coc, 'coc.admin');
    await openAdminArea(coc, 'Queues');
    await coc.getByRole('heading', { name: 'Data center queue' }).waitFor();
    const item = coc.locator(`[data-test-id="queue-item"][data-conflict-id="${id}"]`);
    await item.waitFor();
    assert.equal(await item.getAttribute('data-state'), 'data_center');
    assert.match(await item.getByTestId('queue-state').innerText(), /With the data center since/);
    assert.match(await item.getByTestId('queue-attempts').innerText(), /3 contact attempts/);
    await shootBothSizes(coc, 'admin-queue-data-center');
    // The data center may resolve it.
    await item.getByTestId('queue-resolve-button').click();
    await coc.getByTestId('queue-empty').waitFor();
    assert.deepEqual(coc.problems, [], 'no console error');
    await coc.close();
  });
});
