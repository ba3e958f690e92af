// The caseworker's own page, the inbox, the account page and the session's ends (P-5, R-13, S-3):
// recently opened clients, notifications read and unread, releases ending soon, changing one's
// own password, signing out, the idle warning with "stay signed in", and returning to the same
// page after the session ended. One server (with the test clock and a 62-minute idle timeout,
// so that one hour of the test clock leaves two minutes) for the whole file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  DEMO_PASSWORD, advanceClock, artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start,
} from './harness.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];
const DESKTOP = { width: 1280, height: 800 };

// The server's idle timeout for this file: an hour of the test clock leaves 2 minutes, inside
// the app's warning (3 minutes before the end).
process.env.HEARTH_IDLE_TIMEOUT_MINUTES = '62';

/** A JSON request as the page's signed-in user (its cookies), with the CSRF header. */
async function api(page, method, path, body) {
  const res = await page.request.fetch(`${page.base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-hearth-csrf': '1', origin: page.base },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status(), body: text ? JSON.parse(text) : null };
}

function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The header's unread count (0 when the badge is not shown). */
async function unreadCount(page) {
  const badge = page.getByTestId('unread-count');
  if ((await badge.count()) === 0) return 0;
  return Number(await badge.innerText());
}

/** Counts the page's API requests still waiting for an answer (see `settled`). */
function trackRequests(page) {
  page.pending = 0;
  const api = (r) => r.url().includes('/api/v1/');
  page.on('request', (r) => { if (api(r)) page.pending += 1; });
  page.on('requestfinished', (r) => { if (api(r)) page.pending -= 1; });
  page.on('requestfailed', (r) => { if (api(r)) page.pending -= 1; });
}

/** Waits until none of the page's API requests has been waiting for 300 ms (each one moves the
 * server's idle timer, so a test that moves the clock waits for them first). */
async function settled(page) {
  let quiet = 0;
  for (let i = 0; i < 50 && quiet < 3; i++) {
    await new Promise((r) => setTimeout(r, 100));
    quiet = page.pending <= 0 ? quiet + 1 : 0;
  }
}

/** Signs in on the sign-in page the app is showing (after a redirect), with `password`. */
async function signInHere(page, username, password = DEMO_PASSWORD) {
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('sign-in').click();
}

describe('home, inbox, account and session', () => {
  let env;
  before(async () => {
    env = await start({ testClock: true });
    // Work for shelter.cw: Eno River Housing disputes the date of birth Maria Lopez entered for
    // Alex Rivera (client 1, R-2: she is notified), and a release of client 4 (Bull City
    // Shelter and Eno River) ends in 12 days (S-3).
    const housing = await newPage(env.browser, DESKTOP);
    await signIn(housing, 'housing.cw');
    const opened = await api(housing, 'POST', '/clients/1/conflicts', {
      field: 'date_of_birth', stated_value: '1979-03-03',
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    await housing.context().close();
    const shelter = await newPage(env.browser, DESKTOP);
    await signIn(shelter, 'shelter.cw');
    const { today } = (await api(shelter, 'GET', '/session')).body;
    const roi = await api(shelter, 'POST', '/clients/4/rois', {
      organizations: [2, 3], start: addDays(today, -300), end: addDays(today, 12), attested: true,
    });
    assert.equal(roi.status, 201, JSON.stringify(roi.body));
    await shelter.context().close();
  });
  after(async () => {
    await env?.stop();
  });

  it('home_shows_recently_opened_clients_after_opening_one', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'outreach.cw');
    assert.equal(await page.getByTestId('recent-client').count(), 0);
    await page.getByTestId('recent-empty').waitFor();
    await searchAndOpenClient(page, 'Rivera', /Rivera, Alex/);
    await page.getByTestId('client-name').waitFor();
    await page.locator('a.brand').click();
    await page.getByTestId('recent-client').first().waitFor();
    assert.match(await page.getByTestId('recent-client').first().innerText(), /Alex Rivera[\s\S]*H0001001/);
    // Opening it again does not list it twice; another client comes first.
    await searchAndOpenClient(page, 'H0001002', 'H0001002');
    await page.locator('a.brand').click();
    await page.getByTestId('recent-client').nth(1).waitFor();
    const rows = await page.getByTestId('recent-client').allInnerTexts();
    assert.equal(rows.length, 2);
    assert.match(rows[0], /H0001002/);
    assert.match(rows[1], /H0001001/);
    // The list follows its user and can be cleared.
    await page.getByTestId('recent-clear').click();
    await page.getByTestId('recent-empty').waitFor();
    await page.reload();
    await page.getByTestId('recent-empty').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('r3_s3_home_lists_the_conflicts_addressed_to_the_agency_and_its_releases_ending_soon', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    const conflict = page.getByTestId('conflict-item').filter({ hasText: 'H0001001' });
    await conflict.waitFor();
    assert.match(await conflict.innerText(), /Date of birth conflict/);
    assert.match(await conflict.getByTestId('due-next').innerText(), /Eno River Housing is trying to reach your agency/);
    const release = page.getByTestId('ending-release').filter({ hasText: 'H0001004' });
    await release.waitFor();
    assert.match(await release.innerText(), /ends in 12 days/);
    assert.match(await page.getByTestId('ending-releases').locator('h2').innerText(), /within 30 days/);
    // The reporter sees what is due next from the shared escalation decision.
    const housing = await newPage(env.browser, DESKTOP);
    await signIn(housing, 'housing.cw');
    const raised = housing.getByTestId('conflict-item').filter({ hasText: 'H0001001' });
    await raised.waitFor();
    assert.match(await raised.getByTestId('due-next').innerText(), /Log 3 more contact attempts/);
    assert.deepEqual(page.problems, []);
    assert.deepEqual(housing.problems, []);
    await page.context().close();
    await housing.context().close();
  });

  it('r13_a_notification_marked_read_lowers_the_unread_count', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw');
    await page.getByTestId('unread-count').waitFor();
    const before = await unreadCount(page);
    assert.ok(before >= 1, `unread before: ${before}`);
    await page.getByTestId('inbox-link').click();
    await page.waitForURL('**/inbox');
    const unread = page.locator('[data-test-id="notification"][data-read="false"]').first();
    await unread.waitFor();
    const id = await unread.getAttribute('data-notification-id');
    assert.match(await unread.innerText(), /Data conflict #\d+ for client H0001001/);
    // It leads to the client's conflicts.
    assert.match(await unread.getByTestId('notification-link').getAttribute('href'), /^\/clients\/1\/conflicts$/);
    await unread.getByTestId('mark-read').click();
    const marked = page.locator(`[data-test-id="notification"][data-notification-id="${id}"]`);
    await page.waitForFunction(
      (nid) => document.querySelector(`[data-test-id="notification"][data-notification-id="${nid}"]`)?.dataset.read === 'true',
      id,
    );
    assert.equal(await marked.getByTestId('mark-read').count(), 0);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-test-id="unread-count"]')?.textContent ?? 0) === n,
      before - 1,
    );
    assert.equal(await unreadCount(page), before - 1);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  for (const vp of VIEWPORTS) {
    it(`home_inbox_and_account_pass_axe_and_are_captured (${vp.name})`, async () => {
      const page = await newPage(env.browser, { width: vp.width, height: vp.height });
      await signIn(page, 'shelter.cw');
      await searchAndOpenClient(page, 'Rivera', /Rivera, Alex/);
      await page.locator('a.brand').click();
      await page.getByTestId('recent-client').first().waitFor();
      await page.getByTestId('ending-release').first().waitFor();
      await page.getByTestId('conflict-item').first().waitFor();
      await page.screenshot({ path: join(artifacts, `home-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the home page');
      const scrolls = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      assert.equal(scrolls, false, 'no horizontal scrolling on the home page');

      await page.getByTestId('inbox-link').click();
      await page.getByTestId('notification').first().waitFor();
      await page.screenshot({ path: join(artifacts, `inbox-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the inbox');

      await page.getByTestId('who').click();
      await page.getByTestId('password-rules').waitFor();
      assert.match(await page.getByTestId('password-rules').innerText(), /At least 12 characters/);
      await page.screenshot({ path: join(artifacts, `account-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the account page');
      assert.equal(await page.title(), 'Your account · Hearth');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  it('p5_change_own_password_then_sign_in_with_it', async () => {
    // shelter.cw2 is used by no other test.
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'shelter.cw2');
    await page.goto(`${page.base}/account`);
    await page.getByTestId('password-form').waitFor();
    // The shared rules refuse a short password before anything is sent.
    await page.getByTestId('current-password').fill(DEMO_PASSWORD);
    await page.getByTestId('new-password').fill('short');
    await page.getByTestId('new-password-again').fill('short');
    await page.getByTestId('change-password').click();
    const fieldError = page.locator('#password-new_password-error');
    await fieldError.waitFor();
    assert.match(await fieldError.innerText(), /at least 12 characters/);
    // A wrong current password is the server's refusal, next to its field.
    const next = 'a kettle of tea at noon 2026';
    await page.getByTestId('current-password').fill('not my password at all');
    await page.getByTestId('new-password').fill(next);
    await page.getByTestId('new-password-again').fill(next);
    await page.getByTestId('change-password').click();
    await page.locator('#password-current_password-error').waitFor();
    await page.getByTestId('current-password').fill(DEMO_PASSWORD);
    await page.getByTestId('change-password').click();
    await page.getByTestId('password-changed').waitFor();
    // The notification email, set and shown.
    await page.getByTestId('notify-email').fill('tom.becker@bullcity.example.org');
    await page.getByTestId('save-email').click();
    await page.getByTestId('email-saved').waitFor();
    assert.match(await page.getByTestId('email-now').innerText(), /tom\.becker@bullcity\.example\.org/);

    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/sign-in');
    await signInHere(page, 'shelter.cw2', DEMO_PASSWORD);
    await page.getByTestId('sign-in-error').waitFor();
    await signInHere(page, 'shelter.cw2', next);
    await page.waitForURL(`${page.base}/`);
    await page.getByTestId('search-input').waitFor();
    assert.deepEqual(page.problems.filter((p) => !/status of (401|422)/.test(p)), []);
    await page.context().close();
  });

  it('p5_sign_out_ends_the_session', async () => {
    const page = await newPage(env.browser, DESKTOP);
    await signIn(page, 'outreach.cw');
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/sign-in');
    // The session is gone on the server: a protected page asks to sign in again.
    const me = await api(page, 'GET', '/session');
    assert.equal(me.status, 401);
    await page.goto(`${page.base}/inbox`);
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/inbox');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('p5_idle_timeout_warns_and_stay_signed_in_keeps_the_session', async () => {
    const page = await newPage(env.browser, DESKTOP);
    trackRequests(page);
    await page.clock.install();
    await signIn(page, 'housing.cw2');
    // Every request of the home page has been answered (each moves the idle timer).
    await page.locator('[data-test-id="ending-release"], [data-test-id="releases-empty"]').first().waitFor();
    await settled(page);
    // An hour without a request: two minutes are left on the server; the app, which never
    // asked the server in between, warns.
    await advanceClock(env, { hours: 1 });
    await page.clock.fastForward(60 * 60 * 1000);
    const dialog = page.getByTestId('idle-warning');
    await dialog.waitFor();
    assert.match(await page.getByTestId('idle-countdown').innerText(), /^[0-2]:\d\d$/);
    await page.screenshot({ path: join(artifacts, 'idle-warning-desktop.png') });
    assert.deepEqual(await axeViolations(page), [], 'the idle warning');
    await page.getByTestId('stay-signed-in').click();
    await dialog.waitFor({ state: 'hidden' });
    // Another hour: without "stay signed in" the session would have ended (62 minutes).
    await advanceClock(env, { hours: 1 });
    await page.getByTestId('inbox-link').click();
    await page.waitForURL('**/inbox');
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    assert.ok(!page.url().includes('sign-in'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  it('p5_after_expiry_the_next_action_signs_in_and_returns_to_the_same_page', async () => {
    const page = await newPage(env.browser, DESKTOP);
    trackRequests(page);
    await signIn(page, 'housing.cw');
    // A client section URL: the notes of Alex Rivera.
    await page.goto(`${page.base}/clients/1/notes`);
    await page.getByTestId('note-form').waitFor();
    await settled(page);
    await advanceClock(env, { hours: 2 });
    // The next action (adding a note) meets the ended session: sign in, then back here.
    await page.getByTestId('note-text').fill('Called about the shelter bed.');
    await page.getByTestId('note-add').click();
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/clients/1/notes');
    await page.getByTestId('timed-out').waitFor();
    await page.screenshot({ path: join(artifacts, 'signed-out-desktop.png') });
    await signInHere(page, 'housing.cw');
    await page.waitForURL(`${page.base}/clients/1/notes`);
    await page.getByTestId('note-form').waitFor();
    // A search page with its query: after the session ended, reloading it asks to sign in and
    // comes back to the same results.
    await page.goto(`${page.base}/search?q=Rivera`);
    await page.getByTestId('search-result').first().waitFor();
    await settled(page);
    await advanceClock(env, { hours: 2 });
    await page.reload();
    await page.waitForURL((url) => url.pathname === '/sign-in' && url.searchParams.get('next') === '/search?q=Rivera');
    await signInHere(page, 'housing.cw');
    await page.waitForURL(`${page.base}/search?q=Rivera`);
    await page.getByTestId('search-result').first().waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
