// The phone benchmark (scripts/bench-phone; not part of the test command): the real server with
// demo data and headless Chromium under Lighthouse's mobile throttling set over the debugging
// protocol (150 ms RTT, 1.6 Mbps down, 750 Kbps up, 4x CPU) at 390x844. For each of N runs, in a
// fresh browser context (cold cache):
//   1. the sign-in page: FCP, LCP (and what the LCP element was), the sign-in form's appearance,
//      and the bytes that crossed the wire;
//   2. signs in, searches, and times the interaction: a click on `--click` to the next frame
//      painted after `--ready` appears (default: a search result → the client's name heading on
//      the profile; with section tabs, e.g. --on client --click '[data-test-id=tab-x]'
//      --ready '[data-test-id=section-x]' times opening a section);
//   3. the client file loaded afresh (a navigation to its URL, signed in, cache warm): FCP, LCP,
//      the profile heading's appearance.
// With --gating URL it also opens the gating benchmark page (shared/tests/gating_bench.rs served
// by wasm-bindgen-test-runner) under the same throttling and reports its `gating:` line.
// Prints medians (and every run with --verbose); --json writes them to a file.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { start, DEMO_PASSWORD } from '../tests/harness.js';

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    user: { type: 'string', default: 'shelter.cw' },
    query: { type: 'string', default: 'Rivera' },
    on: { type: 'string', default: 'results' },
    click: { type: 'string', default: '[data-test-id="search-result"]' },
    ready: { type: 'string', default: '[data-test-id="client-name"]' },
    gating: { type: 'string' },
    'gating-only': { type: 'boolean', default: false },
    json: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const RUNS = Number(opt.runs);

// Lighthouse's mobile ("slow 4G") figures, applied as DevTools throttling (no RTT adjustment).
export const THROTTLE = {
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
  cpu: 4,
};
const VIEWPORT = { width: 390, height: 844 };
const SIGN_IN_FORM = '[data-test-id="username"]';
const PROFILE = '[data-test-id="client-name"]';

/** A page in a fresh context, throttled, counting the bytes received and watching `selectors`. */
async function throttledPage(browser, base, selectors) {
  const context = await browser.newContext({ viewport: VIEWPORT, baseURL: base, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: THROTTLE.latency,
    downloadThroughput: THROTTLE.downloadThroughput,
    uploadThroughput: THROTTLE.uploadThroughput,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE.cpu });
  page.bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { page.bytes += e.encodedDataLength; });
  // Each request's path and start, and its end (seconds, the protocol's monotonic clock).
  page.requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    page.requests.set(e.requestId, { path: new URL(e.request.url).pathname, start: e.timestamp, end: null });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = page.requests.get(e.requestId);
    if (r) r.end = e.timestamp;
  });
  // Before any page script: LCP entries, and when each watched selector first appears.
  await page.addInitScript((watched) => {
    const perf = { lcp: null, lcpElement: null, seen: {} };
    window.__bench = perf;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        perf.lcp = e.startTime;
        const el = e.element;
        perf.lcpElement = el ? `${el.tagName.toLowerCase()}${el.className ? '.' + el.className : ''}` : '(removed)';
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    const check = () => {
      for (const s of watched) if (!(s in perf.seen) && document.querySelector(s)) perf.seen[s] = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  }, selectors);
  return { page, context };
}

/** FCP, LCP and the LCP element of the current document, once `selector` has appeared. */
async function paints(page, selector) {
  await page.waitForSelector(selector, { state: 'visible', timeout: 60000 });
  // Let the frames after it paint and the LCP observer deliver.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250)))));
  return page.evaluate((sel) => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    lcp: window.__bench.lcp,
    lcpElement: window.__bench.lcpElement,
    ready: window.__bench.seen[sel] ?? null,
  }), selector);
}

/** Clicks the first `click` and answers the time from the click event to the frame painted after `ready` appeared. */
async function interaction(page, click, ready) {
  await page.waitForSelector(click, { state: 'visible', timeout: 60000 });
  await page.evaluate((sel) => {
    window.__interaction = new Promise((resolve) => {
      document.addEventListener('click', (ev) => {
        const t0 = ev.timeStamp;
        const poll = () => {
          if (document.querySelector(sel)) requestAnimationFrame((t) => resolve(t - t0));
          else requestAnimationFrame(poll);
        };
        poll();
      }, { capture: true, once: true });
    });
  }, ready);
  page.requests.clear();
  await page.locator(click).first().click();
  const delay = await page.evaluate(() => window.__interaction);
  // The requests the interaction waited for, each as "path: milliseconds" (with --verbose).
  const requests = [...page.requests.values()].map(
    (r) => `${r.path}: ${r.end === null ? 'unfinished' : Math.round((r.end - r.start) * 1000) + ' ms'}`,
  );
  return { delay, requests };
}

async function oneRun(browser, base) {
  const { page, context } = await throttledPage(browser, base, [SIGN_IN_FORM, PROFILE, opt.ready]);
  try {
    await page.goto('/sign-in');
    const signIn = { ...(await paints(page, SIGN_IN_FORM)), bytes: page.bytes };
    await page.fill(SIGN_IN_FORM, opt.user);
    await page.fill('[data-test-id="password"]', DEMO_PASSWORD);
    await page.click('[data-test-id="sign-in"]');
    await page.waitForSelector('[data-test-id="search-input"]', { timeout: 60000 });
    await page.fill('[data-test-id="search-input"]', opt.query);
    await page.click('[data-test-id="search-submit"]');
    let open;
    let openRequests;
    if (opt.on === 'results') {
      ({ delay: open, requests: openRequests } = await interaction(page, opt.click, opt.ready));
      await page.waitForSelector(PROFILE, { timeout: 60000 });
    } else {
      await page.locator('[data-test-id="search-result"]').first().click();
      await page.waitForSelector(PROFILE, { timeout: 60000 });
      ({ delay: open, requests: openRequests } = await interaction(page, opt.click, opt.ready));
    }
    const clientUrl = page.url();
    const before = page.bytes;
    await page.goto(clientUrl);
    const client = { ...(await paints(page, PROFILE)), bytes: page.bytes - before, url: new URL(clientUrl).pathname };
    return { signIn, open, openRequests, client };
  } finally {
    await context.close();
  }
}

async function gating(browser, url) {
  const { page, context } = await throttledPage(browser, undefined, []);
  try {
    const lines = [];
    page.on('console', (m) => { if (m.text().startsWith('gating:')) lines.push(m.text()); });
    await page.goto(url);
    await page.waitForFunction(() => /test result/.test(document.body.innerText), null, { timeout: 120000 });
    const body = await page.innerText('body');
    if (!/1 passed/.test(body)) throw new Error(`the gating benchmark failed:\n${body}`);
    return lines;
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => (x === null ? '   n/a' : `${Math.round(x)}`.padStart(6) + ' ms');
const kb = (x) => `${(x / 1000).toFixed(0)} KB`;

const env = await start();
const report = { throttle: THROTTLE, runs: RUNS, click: opt.click, ready: opt.ready, on: opt.on, results: [] };
try {
  if (!opt['gating-only']) {
    for (let i = 0; i < RUNS; i++) {
      const r = await oneRun(env.browser, env.base);
      report.results.push(r);
      if (opt.verbose) console.log(`run ${i + 1}:`, JSON.stringify(r));
    }
    const pick = (f) => median(report.results.map(f));
    const lcpEls = [...new Set(report.results.map((r) => r.signIn.lcpElement))].join(', ');
    const clientEls = [...new Set(report.results.map((r) => r.client.lcpElement))].join(', ');
    report.median = {
      signIn: { fcp: pick((r) => r.signIn.fcp), lcp: pick((r) => r.signIn.lcp), form: pick((r) => r.signIn.ready), bytes: pick((r) => r.signIn.bytes) },
      client: { fcp: pick((r) => r.client.fcp), lcp: pick((r) => r.client.lcp), heading: pick((r) => r.client.ready), bytes: pick((r) => r.client.bytes) },
      open: pick((r) => r.open),
    };
    const m = report.median;
    console.log(`\nHearth on a throttled phone (150 ms RTT, 1.6 Mbps down, 750 Kbps up, 4x CPU, 390x844), median of ${RUNS} runs`);
    console.log(`sign-in page, cold cache:  FCP ${ms(m.signIn.fcp)}  LCP ${ms(m.signIn.lcp)}  form shown ${ms(m.signIn.form)}  ${kb(m.signIn.bytes)} over the wire  (LCP element: ${lcpEls})`);
    console.log(`client file, signed in:    FCP ${ms(m.client.fcp)}  LCP ${ms(m.client.lcp)}  heading ${ms(m.client.heading)}  ${kb(m.client.bytes)} over the wire  (LCP element: ${clientEls})`);
    console.log(`interaction (on ${opt.on}: click ${opt.click} -> ${opt.ready} painted): ${ms(m.open)}`);
    console.log('targets: LCP <= 2500 ms, interaction <= 200 ms');
  }
  if (opt.gating) {
    report.gating = await gating(env.browser, opt.gating);
    console.log(`gating in WASM under 4x CPU throttling: ${report.gating.join('\n') || '(no gating: line)'}  (target <= 1 ms)`);
  }
} finally {
  await env.stop();
}
if (opt.json) writeFileSync(opt.json, JSON.stringify(report, null, 2));
