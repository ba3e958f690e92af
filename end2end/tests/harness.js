// Starts the real server (on a free port, with a fresh SQLite database and demo data) and a real
// headless Chromium, for the browser tests. Nothing is mocked.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, selectors } from 'playwright-core';

// Our elements carry data-test-id (house style), not Playwright's default data-testid.
selectors.setTestIdAttribute('data-test-id');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = join(root, 'end2end', 'artifacts');
export const DEMO_PASSWORD = 'hearth-demo-2026';

// The running server's address, set by `start()`: pages opened by `newPage` go there.
let currentBase = null;

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

async function waitForHealth(base, server) {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become healthy in 30 s');
}

/**
 * Starts server + browser; returns { base, browser, stop }. With `testClock: true` the server's
 * clock stands still at the real now and `advanceClock` moves it (HEARTH_TEST_CLOCK=1).
 */
export async function start({ testClock = false } = {}) {
  const bin = process.env.HEARTH_SERVER_BIN || join(root, 'target', 'debug', 'hearth-server');
  const dist = process.env.HEARTH_DIST || join(root, 'dist');
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-e2e-'));
  const port = await freePort();
  const env = {
    ...process.env,
    HEARTH_DATA_DIR: dataDir,
    HEARTH_DIST: dist,
    HEARTH_LISTEN: `127.0.0.1:${port}`,
    RUST_LOG: 'warn',
  };
  if (testClock) env.HEARTH_TEST_CLOCK = '1';
  delete env.DATABASE_URL;
  execFileSync(bin, ['demo'], { env, stdio: 'ignore' });
  const server = spawn(bin, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, server);
  currentBase = base;
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    base,
    browser,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A new page at the given viewport that records console errors and failed requests. It knows the
 * server's address (`page.base`, and relative `goto` paths), so the page helpers below need no
 * base argument.
 */
export async function newPage(browser, viewport, base = currentBase) {
  const context = await browser.newContext({ viewport, baseURL: base ?? undefined });
  const page = await context.newPage();
  page.base = base;
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 401 before sign-in is how the app learns there is no session yet: expected, not a fault.
    const expected401 = /status of 401/.test(m.text());
    if (m.type() === 'error' && !expected401) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

// axe-core, evaluated in the page by the browser's debugging protocol (not a <script>: the app's
// Content-Security-Policy allows only its own scripts, and must stay on in the tests).
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 A and AA violations axe-core finds on the page as it is now, one line each. */
export async function axeViolations(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`,
    );
  });
}

/**
 * Moves the server's clock on (a server started with `start({ testClock: true })`), then the
 * background jobs due at the new time run once; returns { now, today, jobs }. Sessions idle past
 * their timeout end, as they would: sign in again after a move of more than 30 minutes.
 */
export async function advanceClock(env, { days = 0, hours = 0 } = {}) {
  const base = env.base ?? env;
  const res = await fetch(`${base}/api/v1/test/clock/advance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hearth-csrf': '1' },
    body: JSON.stringify({ days, hours }),
  });
  assert.equal(res.status, 200, `advancing the clock: ${await res.clone().text()} (start({ testClock: true })?)`);
  return res.json();
}

// --- Page helpers: the steps every journey shares, by their data-test-id selectors ---

/** Signs `username` in with the demo password, from the home page, and waits for the search. */
export async function signIn(page, username) {
  assert.ok(page.base, 'open the page with newPage() after start()');
  await page.goto(`${page.base}/`);
  await page.waitForURL('**/sign-in');
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(DEMO_PASSWORD);
  await page.getByTestId('sign-in').click();
  await page.waitForURL(`${page.base}/`);
  await page.getByTestId('search-input').waitFor();
}

/**
 * Searches for `query`, checks that the first result is the client `name` identifies (a string
 * the row contains, such as 'Rivera, Alex' or an HMIS number, or a RegExp), optionally takes a
 * `screenshot` of the results, checks them with axe-core if `axe`, opens that client and waits
 * for the profile.
 */
export async function searchAndOpenClient(page, query, name, { screenshot, axe } = {}) {
  await page.getByTestId('search-input').fill(query);
  await page.getByTestId('search-submit').click();
  const first = page.getByTestId('search-result').first();
  await first.waitFor();
  const text = await first.innerText();
  if (name instanceof RegExp) {
    assert.match(text, name, `first result for ${query}`);
  } else {
    assert.ok(text.includes(name), `first result for ${query} is ${name}: ${text}`);
  }
  if (screenshot) await page.screenshot({ path: screenshot });
  if (axe) assert.deepEqual(await axeViolations(page), [], `the results of ${query}`);
  await first.click();
  await page.getByTestId('client-profile').waitFor();
}

/** Opens the section `slug` (e.g. 'enrollments') of the client whose file is open, by its tab. */
export async function openSection(page, slug) {
  await page.getByTestId(`tab-${slug}`).click();
  await page.getByTestId(`section-${slug}`).waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached' }).catch(() => {});
}

/**
 * Calls the API as the page's signed-in user (its session cookie), with the CSRF header every
 * state-changing request carries; returns { status, body } (body parsed as JSON when it is).
 */
export async function apiCall(page, method, path, { json, data, headers = {} } = {}) {
  const res = await page.request.fetch(`${page.base}/api/v1${path}`, {
    method,
    headers: { 'x-hearth-csrf': '1', ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    data: json !== undefined ? JSON.stringify(json) : data,
  });
  const text = await res.text();
  let body = text;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status(), body };
}

/**
 * Opens one of the administrators' areas as a user would: the header's "Admin" link (a page load
 * into the administrators' bundle), then the area's link on `/admin` by its title.
 */
export async function openAdminArea(page, title) {
  await page.getByTestId('admin-link').click();
  await page.getByTestId('admin-areas').waitFor();
  await page.getByTestId('admin-area')
    .filter({ has: page.locator('.result-name', { hasText: new RegExp(`^${title}$`) }) })
    .click();
}

/** The titles of the administrators' areas `/admin` offers the page's user (none without the link). */
export async function adminAreas(page) {
  if ((await page.getByTestId('admin-link').count()) === 0) return [];
  const here = page.url();
  await page.getByTestId('admin-link').click();
  await page.getByTestId('admin-areas').waitFor();
  const titles = await page.locator('[data-test-id="admin-area"] .result-name').allInnerTexts();
  await page.goto(here);
  return titles;
}
