// The household section of a client's file (seed 1b, S-1, R-4): members and their relationship
// to the head of household, read and changed by an agency that did not enter the household.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { artifacts, axeViolations, newPage, searchAndOpenClient, signIn, start } from './harness.js';

/** The date `n` days before today (UTC, the server's clock), as a date input takes it. */
function daysAgo(n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
}

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

describe('household', () => {
  let env;
  before(async () => {
    env = await start();
  });
  after(async () => {
    await env?.stop();
  });

  for (const vp of VIEWPORTS) {
    it(`s1_household_members_and_relationships_are_shown_to_every_agency (${vp.name})`, async () => {
      const page = await newPage(env.browser, { width: vp.width, height: vp.height });
      // The Riveras' household was entered by Bull City Shelter; Triangle Outreach reads it.
      await signIn(page, 'outreach.cw');
      await searchAndOpenClient(page, 'Alex Rivera', /Rivera, Alex/);
      await page.getByTestId('tab-household').click();
      const household = page.getByTestId('household');
      await household.waitFor();
      assert.equal(await page.getByTestId('household-name').innerText(), 'Rivera');
      const members = page.getByTestId('household-member');
      assert.equal(await members.count(), 3, 'a couple and a child');
      const relationships = await page.getByTestId('member-relationship').allInnerTexts();
      assert.deepEqual(relationships.sort(), [
        "Head of household's child",
        "Head of household's spouse or partner",
        'Self (head of household)',
      ]);
      assert.match(await household.innerText(), /Head of household: Alex Rivera/);
      assert.match(await page.getByTestId('household-address').innerText(), /907 Holloway St/);
      assert.equal(await page.title(), 'Household · Alex Lee Rivera · Hearth');
      await page.screenshot({ path: join(artifacts, `household-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the household section');
      assert.deepEqual(page.problems, [], 'no console error');
      await page.close();
    });
  }

  it('s1_another_agency_adds_a_member_and_the_member_leaves_on_a_date_r4', async () => {
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'outreach.cw');
    await searchAndOpenClient(page, 'Alex Rivera', /Rivera, Alex/);
    await page.getByTestId('tab-household').click();
    await page.getByTestId('household').waitFor();

    // Add a client who is in no household (S-1: any agency may).
    await page.getByTestId('household-add-open').click();
    await page.getByTestId('member-search').fill('Haddad');
    await page.getByTestId('member-search-go').click();
    await page.getByTestId('member-pick').first().check();
    await page.getByTestId('member-add-form').locator('select[name="relationship"]').selectOption({
      label: 'Head of household\'s other relation member',
    });
    await page.getByTestId('member-start').fill(daysAgo(10));
    await page.getByTestId('member-add').click();
    // The section reloads the household and the client's memberships: wait until both settle.
    await page.waitForFunction(() => document.querySelectorAll('[data-test-id="household-member"]').length === 4);

    // The new member leaves: their row ends and moves to the history, never deleted.
    const added = page.getByTestId('household-member').filter({ hasText: 'Haddad' });
    await added.getByTestId('member-leave-open').click();
    await added.getByTestId('member-end-date').fill(daysAgo(1));
    await added.getByTestId('member-end').click();
    await added.getByTestId('member-end-dialog').getByTestId('confirm').click();
    await page.waitForFunction(() =>
      document.querySelectorAll('[data-test-id="household-member"]').length === 3
      && [...document.querySelectorAll('[data-test-id="former-member"]')].some((e) => e.textContent.includes('Haddad')));
    assert.equal(await page.getByTestId('household-member').filter({ hasText: 'Haddad' }).count(), 0);
    await page.screenshot({ path: join(artifacts, 'household-history-desktop.png'), fullPage: true });
    assert.deepEqual(await axeViolations(page), [], 'the household section after a change');
    assert.deepEqual(page.problems, [], 'no console error');
    await page.close();
  });
});
