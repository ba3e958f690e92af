// The HUD CSV import screen (issue #16): a SystemAdmin uploads a small zip of generated HUD CSV
// files, runs a dry run and reads its report (per file counts, row errors and warnings with file,
// line, column and reason), then imports; a caseworker is refused with the shared reason.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminAreas, artifacts, openAdminArea, axeViolations, newPage, signIn, start } from './harness.js';

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
];

const T = '2024-01-01 09:00:00';
const FILES = {
  'Export.csv': 'ExportID,SourceID,SourceName,CSVVersion\nE1,XX-777,Browser HMIS,2026 v1.0\n',
  'Organization.csv': `OrganizationID,OrganizationName,DateCreated,DateUpdated,UserID,DateDeleted,ExportID\nO1,Browser Shelter,${T},${T},,,E1\n`,
  'Project.csv': `ProjectID,OrganizationID,ProjectName,ProjectType,DateCreated,DateUpdated,UserID,DateDeleted,ExportID\nP1,O1,Browser Emergency Shelter,0,${T},${T},,,E1\n`,
  'Client.csv': `PersonalID,FirstName,LastName,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,White,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
B1,Robin,Importa,1,,99,1985-05-05,1,1,0,${T},${T},,,E1
B2,Sam,Importa,1,,99,2015-06-06,1,1,0,${T},${T},,,E1
`,
  'Enrollment.csv': `EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,MoveInDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID
N1,B1,P1,2025-01-10,H1,1,2025-01-12,${T},${T},,,E1
N2,B2,P1,2025-01-10,H1,2,,${T},${T},,,E1
N3,B9,P1,2025-01-10,H3,1,,${T},${T},,,E1
`,
};

/** The files as a zip inside a subfolder (Python's zipfile: the test machine has no zip tool). */
function zipOfFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-hud-'));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  const zip = join(dir, 'export.zip');
  execFileSync('python3', ['-c', `
import sys, zipfile, os
d, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for n in sorted(os.listdir(d)):
        if n.endswith('.csv'): z.write(os.path.join(d, n), 'HUD export/' + n)
`, dir, zip]);
  return zip;
}

async function noSmallTargetsNorSideScroll(page) {
  const { wide, small } = await page.evaluate(() => ({
    wide: document.documentElement.scrollWidth > window.innerWidth,
    small: [...document.querySelectorAll('[data-test-id=hud-import] button, [data-test-id=hud-import] input')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && (r.height < 44 || r.width < 44)).length,
  }));
  assert.equal(wide, false, 'no horizontal scroll');
  assert.equal(small, 0, 'every control is at least 44px');
}

describe('hud import', () => {
  let env;
  let zip;
  before(async () => {
    env = await start();
    zip = zipOfFiles();
  });
  after(async () => {
    await env?.stop();
  });

  it('a_caseworker_is_refused_the_import_with_the_shared_reason', async () => {
    const page = await newPage(env.browser, { width: 1280, height: 800 });
    await signIn(page, 'shelter.cw');
    assert.ok(!(await adminAreas(page)).includes('HUD import'), 'no link for a caseworker');
    await page.goto(`${env.base}/admin/hud-import`);
    const reason = page.getByTestId('hud-import-gate-reason');
    await reason.waitFor();
    assert.match(await reason.innerText(), /Only system administrators import HUD CSV exports/);
    assert.equal(await page.getByTestId('hud-zip').count(), 0);
    assert.deepEqual(page.problems, [], 'no console error');
    await page.context().close();
  });

  for (const [i, vp] of VIEWPORTS.entries()) {
    it(`a_system_admin_runs_a_dry_run_reads_the_report_and_imports (${vp.name})`, async () => {
      const page = await newPage(env.browser, { width: vp.width, height: vp.height });
      await signIn(page, 'coc.admin');
      await openAdminArea(page, 'HUD import');
      await page.getByTestId('hud-zip').waitFor();
      assert.equal(await page.title(), 'HUD CSV import · Hearth');
      await page.getByTestId('hud-zip').setInputFiles(zip);
      await page.getByTestId('hud-dry-run').click();
      const job = page.locator('[data-test-id=hud-job][data-state=done]');
      await job.waitFor({ timeout: 30000 });
      assert.match(await page.getByTestId('hud-source').innerText(), /XX-777 \(dry run: nothing was stored\)/);
      const files = await page.getByTestId('hud-files').innerText();
      assert.match(files, /Client\.csv\s+imported\s+2\s+/);
      assert.match(files, /Disabilities\.csv\s+missing/);
      const errors = await page.getByTestId('hud-errors').innerText();
      assert.match(errors, /Row errors: not imported \(1\)/);
      assert.match(errors, /Enrollment\.csv: line 4: PersonalID: foreign key to nothing: B9/);
      const warnings = await page.getByTestId('hud-warnings').innerText();
      assert.match(warnings, /Enrollment\.csv: line 2: MoveInDate: 2025-01-12 not imported: only permanent housing/);
      await noSmallTargetsNorSideScroll(page);
      await page.screenshot({ path: join(artifacts, `hud-import-dry-run-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the report');

      await page.getByTestId('hud-run').click();
      const imported = page.locator(`[data-test-id=hud-job][data-state=done]`).filter({ hasText: `Import #${2 * i + 2}` });
      await imported.waitFor({ timeout: 30000 });
      const text = await page.getByTestId('hud-files').innerText();
      // The first viewport's import creates the clients; the second finds them unchanged.
      if (i === 0) assert.match(text, /Client\.csv\s+imported\s+2\s+2\s+0\s+0/);
      else assert.match(text, /Client\.csv\s+imported\s+2\s+0\s+0\s+2/);
      await page.screenshot({ path: join(artifacts, `hud-import-done-${vp.name}.png`), fullPage: true });
      assert.deepEqual(await axeViolations(page), [], 'the import report');
      assert.deepEqual(page.problems, [], 'no console error');
      await page.context().close();
    });
  }
});
