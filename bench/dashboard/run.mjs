// Services page with 10,000 services: time to interactive and the JavaScript it downloads (gzip), against
// the same page with one service, measured in the same run on the same Ebb. See README.md.
//
//   node bench/dashboard/run.mjs [--services 10000] [--loads 5] [--out bench/dashboard/RESULTS.md]
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { launch } from '../../e2e/support/browser.mjs';
import { request, startEbb } from '../../e2e/support/ebb.mjs';

const options = { services: 10_000, loads: 5, out: null };
for (let i = 2; i < process.argv.length; i += 2) {
  const [name, value] = [process.argv[i], process.argv[i + 1]];
  if (name === '--services') options.services = Number(value);
  else if (name === '--loads') options.loads = Number(value);
  else if (name === '--out') options.out = value;
  else throw new Error(`Unknown option ${name}; use --services N, --loads N or --out FILE`);
}

const USER = { username: 'bench', password: 'bench-password-1' };
const NAMESPACES = 20;
const SEED_CONCURRENCY = 6;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function cookiesOf(response) {
  return (response.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]);
}

/** A signed-in session's cookies, as the browser would hold them after the sign-in form. */
async function signIn(ebb) {
  const first = await request(`${ebb.base}/api/v1/session`, 'GET');
  const xsrf = cookiesOf(first).find((c) => c.startsWith('XSRF-TOKEN='));
  const answer = await request(`${ebb.base}/api/v1/session`, 'POST', USER, { Cookie: xsrf, 'X-XSRF-TOKEN': xsrf.split('=')[1] });
  if (answer.status !== 200) {
    throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
  }
  return cookiesOf(answer).map((cookie) => {
    const [name, ...value] = cookie.split('=');
    return { name, value: value.join('='), url: ebb.base };
  });
}

async function createService(ebb, index) {
  const namespace = `team-${String(index % NAMESPACES).padStart(2, '0')}`;
  const name = `model-${String(index).padStart(5, '0')}`;
  const answer = await ebb.api('POST', `/api/v1/namespaces/${namespace}/services`, {
    name,
    labels: { team: namespace, tier: index % 3 === 0 ? 'gpu' : 'cpu' },
    template: { command: ['java', '-jar', '/opt/model-server.jar'], env: { MODEL_VERSION: String(index % 7) }, readiness: { path: '/healthz' } },
  });
  if (answer.status !== 201) {
    throw new Error(`creating ${namespace}/${name} failed: ${answer.status} ${answer.text}`);
  }
}

async function seed(ebb, from, to) {
  let next = from;
  const workers = Array.from({ length: SEED_CONCURRENCY }, async () => {
    while (next < to) {
      const index = next++;
      await createService(ebb, index);
    }
  });
  await Promise.all(workers);
}

// Records, in the page, when the first service row is drawn and every long task (>50 ms) the main thread ran.
const PROBE = () => {
  window.__bench = { firstRow: null, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__bench.longTasks.push(entry.startTime + entry.duration);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('.service-rows .service-row')) {
      window.__bench.firstRow = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

/**
 * One cold load of /services in a fresh browser context (empty cache): when rows appear, when the main
 * thread is last busy, the JS downloaded (gzip as a server would send it), and how long a name filter takes.
 */
async function load(browser, ebb, cookies, expectedTotal) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies(cookies);
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  const scripts = [];
  page.on('response', async (response) => {
    if (response.url().endsWith('.js')) {
      scripts.push(gzipSync(await response.body(), { level: 9 }).length);
    }
  });
  await page.goto(`${ebb.base}/services`);
  await page.getByText(`${expectedTotal.toLocaleString('en-US')} service`).first().waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => window.__bench.firstRow !== null);
  // A long task still running after the rows appear would delay the first click: wait to see any.
  await page.waitForTimeout(2_000);
  const { firstRow, longTasks } = await page.evaluate(() => window.__bench);
  const tti = Math.max(firstRow, ...longTasks);

  const filterStart = Date.now();
  const filtered = page.waitForResponse((response) => response.url().includes('q=model-00000'));
  await page.getByLabel('Name contains').fill('model-00000');
  await filtered;
  await page.getByRole('link', { name: 'model-00000' }).waitFor();
  await page.getByText(/^1 service$/).waitFor();
  const filter = Date.now() - filterStart;
  await context.close();
  return { firstRow, tti, jsGzip: scripts.reduce((a, b) => a + b, 0), filter };
}

async function measure(browser, ebb, cookies, total) {
  const runs = [];
  for (let i = 0; i < options.loads; i++) {
    runs.push(await load(browser, ebb, cookies, total));
  }
  return {
    firstRow: median(runs.map((r) => r.firstRow)),
    tti: median(runs.map((r) => r.tti)),
    ttiMax: Math.max(...runs.map((r) => r.tti)),
    jsGzip: median(runs.map((r) => r.jsGzip)),
    filter: median(runs.map((r) => r.filter)),
  };
}

const ebb = await startEbb({ args: ['--ebb.runtime.enabled=false', `--ebb.api.max-services-per-namespace=${options.services + 1}`], log: 'bench-dashboard-ebb.log' });
let browser;
try {
  const user = await ebb.api('POST', '/api/v1/users', { ...USER, grants: [{ namespace: '*', role: 'viewer' }] });
  if (user.status !== 201) throw new Error(user.text);
  browser = await launch();
  await seed(ebb, 0, 1);
  const cookies = await signIn(ebb);
  const one = await measure(browser, ebb, cookies, 1);
  const seedStart = Date.now();
  await seed(ebb, 1, options.services);
  const seeded = (Date.now() - seedStart) / 1000;
  const many = await measure(browser, ebb, cookies, options.services);

  const ms = (v) => `${Math.round(v)} ms`;
  const kb = (v) => `${(v / 1024).toFixed(1)} KB`;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const report = `# Dashboard benchmark: services page

Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, Debian Chromium (headless).
Command: \`node bench/dashboard/run.mjs --services ${options.services} --loads ${options.loads}\` after \`mvn -DskipTests package\`.
Date: ${new Date().toISOString()}. Each figure is the median of ${options.loads} cold loads (fresh browser context, empty cache) of \`/services\`,
signed in as a viewer of every namespace; the Ebb jar ran with its embedded PostgreSQL and no runtime. Seeding ${options.services - 1}
services through the API took ${seeded.toFixed(0)} s.

| | 1 service (baseline) | ${options.services.toLocaleString('en-US')} services | ratio | goal |
|---|---|---|---|---|
| first rows drawn | ${ms(one.firstRow)} | ${ms(many.firstRow)} | ${(many.firstRow / one.firstRow).toFixed(2)} × | |
| time to interactive (median / worst) | ${ms(one.tti)} / ${ms(one.ttiMax)} | ${ms(many.tti)} / ${ms(many.ttiMax)} | ${(many.tti / one.tti).toFixed(2)} × | ≤ 1500 ms |
| JavaScript loaded, gzip | ${kb(one.jsGzip)} | ${kb(many.jsGzip)} | ${(many.jsGzip / one.jsGzip).toFixed(2)} × | ≤ 500 KB |
| name filter typed → 1 row shown (incl. 250 ms debounce) | ${ms(one.filter)} | ${ms(many.filter)} | ${(many.filter / one.filter).toFixed(2)} × | |

Time to interactive is the later of the first service row being drawn and the end of the last main-thread long task
(over 50 ms) seen within 2 s after it, both from navigation start.
`;
  console.log(report);
  if (options.out) {
    writeFileSync(options.out, report);
  }
} finally {
  await browser?.close();
  await ebb.stop();
}
