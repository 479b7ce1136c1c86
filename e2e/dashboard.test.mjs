// An SRE's day in the console, against the real application: sign in, deploy the sample model server,
// split traffic 90/10 with a tag, watch requests arrive and the service scale to zero, measure a cold
// start against the SLO, roll back, read a crashing revision's logs and stop it, and find every step in the audit view. Screenshots of each screen
// land in e2e/target/screenshots.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, screenshot } from './support/browser.mjs';
import { eventually, MODEL_SERVER, OUT, startEbb } from './support/ebb.mjs';

const NS = 'e2e';
const SERVICE = 'sentiment';
const HOST = `${SERVICE}.${NS}.svc.cluster.local`;
const USER = { username: 'sre', password: 'e2e-password-1' };
const SERVICE_API = `/api/v1/namespaces/${NS}/services/${SERVICE}`;

const browserLog = [];
let beforeSplit;
let ebb;
let browser;
let page;

before(async () => {
  ebb = await startEbb();
  const created = await ebb.api('POST', '/api/v1/users', { ...USER, grants: [{ namespace: '*', role: 'admin' }] });
  assert.equal(created.status, 201, created.text);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  // What the page itself complains of goes to the log, beside Ebb's, for whoever reads a failure.
  page.on('pageerror', (error) => browserLog.push(`page error: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      browserLog.push(`console ${message.type()}: ${message.text()}`);
    }
  });
});

after(async () => {
  writeFileSync(join(OUT, 'browser.log'), browserLog.join('\n') + '\n');
  await browser?.close();
  await ebb?.stop();
});

let failed = null;

async function nav(screen) {
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: screen }).click();
}

/**
 * One step of the story. Each builds on the one before, so after a failure the rest are skipped rather than
 * failing for the same reason; a failing step leaves a screenshot of what the page showed.
 */
function step(name, body) {
  test(name, async (t) => {
    if (failed) {
      t.skip(`needs "${failed}", which failed`);
      return;
    }
    try {
      await body();
    } catch (error) {
      failed = name;
      await screenshot(page, `FAILED-${name.replaceAll(/[^a-z0-9]+/gi, '-')}`).catch(() => {});
      throw error;
    }
  });
}

async function service() {
  const answer = await ebb.api('GET', SERVICE_API);
  assert.equal(answer.status, 200, answer.text);
  return answer.json;
}

async function revisionReady(name) {
  const answer = await ebb.api('GET', `${SERVICE_API}/revisions/${name}`);
  const ready = answer.json?.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') {
    throw new Error(`${name} failed: ${ready.reason} ${ready.message}`);
  }
  return ready?.status === 'True';
}

step('signs in', async () => {
  await page.goto(`${ebb.base}/`);
  await page.getByLabel('Username').fill(USER.username);
  await page.getByLabel('Password').fill(USER.password);
  await screenshot(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Services' }).waitFor();
  await page.getByText('No services match.').waitFor();
  assert.match(page.url(), /\/services$/);
});

step('creates a service from the sample model server', async () => {
  await page.getByRole('link', { name: 'New service' }).click();
  await page.getByLabel('Namespace').fill(NS);
  await page.getByLabel('Name', { exact: true }).fill(SERVICE);
  await page.getByLabel('Command').fill(`java -jar ${MODEL_SERVER}`);
  await page.getByLabel('Environment').fill('MODEL_VERSION=1.0\nLATENCY_MS=200');
  await page.getByLabel('Readiness path').fill('/healthz');
  await page.getByLabel('Cold-start SLO').fill('10s');
  await page.getByLabel('Scaling window').fill('6s');
  await page.getByLabel('Labels').fill('team=ml');
  await page.getByLabel('Why (kept in the audit trail)').fill('first deployment');
  await screenshot(page, 'new-service');
  await page.getByRole('button', { name: 'Create service' }).click();

  await page.getByRole('heading', { name: SERVICE, level: 2 }).waitFor();
  assert.match(page.url(), new RegExp(`/services/${NS}/${SERVICE}$`));
  await eventually('sentiment-00001 to become ready', () => revisionReady('sentiment-00001'), 90_000);
  await page.locator('.service-header .badge', { hasText: 'Ready' }).waitFor();
  // Placed nowhere in particular, it runs on the control plane's own cluster, and the header says where.
  await page.locator('.service-header .placement', { hasText: 'runs on local' }).waitFor();
  await screenshot(page, 'service-created');
});

step('splits traffic 90/10 with a tag after CI deploys a second revision', async () => {
  // CI rolls out model 1.1 as a new revision, keeping every request on the first until someone moves them.
  const current = await service();
  const deployed = await ebb.api(
    'PUT',
    SERVICE_API,
    {
      labels: current.labels,
      coldStartSlo: current.coldStartSlo,
      template: { ...current.template, env: { ...current.template.env, MODEL_VERSION: '1.1' } },
      traffic: [{ revision: 'sentiment-00001', percent: 100 }],
    },
    { 'Ebb-Change-Cause': 'CI: model 1.1' },
  );
  assert.equal(deployed.status, 200, deployed.text);
  await eventually('sentiment-00002 to become ready', () => revisionReady('sentiment-00002'), 90_000);

  const editor = page.locator('section', { has: page.getByRole('heading', { name: 'Traffic' }) });
  await editor.getByLabel('Target of line 1').waitFor();
  await eventually('the editor to show the pinned revision', async () => (await editor.getByLabel('Target of line 1').inputValue()) === 'sentiment-00001');
  await editor.getByRole('button', { name: 'Add line' }).click();
  await editor.getByLabel('Target of line 2').selectOption('sentiment-00002');
  await editor.getByLabel('Percent of line 2', { exact: true }).fill('10');
  await editor.getByLabel('Tag of line 2').fill('canary');
  // The stable revision keeps a name of its own, so it can be measured and called on its own.
  await editor.getByLabel('Tag of line 1').fill('stable');
  assert.equal(await editor.getByLabel('Percent of line 1', { exact: true }).inputValue(), '90');
  await editor.getByText('Total 100%').waitFor();
  await editor.getByText('sentiment-00002: 0% → 10%').waitFor();
  await editor.getByLabel('Why (kept in the audit trail)').fill('canary 10%');
  beforeSplit = new Date();
  await new Promise((done) => setTimeout(done, 1100));
  await screenshot(page, 'traffic-preview');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await editor.getByText(/Applied/).waitFor();

  const split = await service();
  assert.deepEqual(split.traffic, [
    { revision: 'sentiment-00001', percent: 90, tag: 'stable' },
    { revision: 'sentiment-00002', percent: 10, tag: 'canary' },
  ]);
  const tagged = await eventually('the canary tag to route', async () => {
    const answer = await ebb.gateway(`canary-${HOST}`, `/v1/models/${SERVICE}:predict`, { instances: ['good'] });
    return answer.status === 200 && answer.json;
  });
  assert.equal(tagged.revision, 'sentiment-00002');
});

step('sees requests arrive', async () => {
  const until = Date.now() + 8_000;
  const answered = { 'sentiment-00001': 0, 'sentiment-00002': 0 };
  const callers = Array.from({ length: 4 }, async () => {
    while (Date.now() < until) {
      const answer = await ebb.gateway(HOST, `/v1/models/${SERVICE}:predict`, { instances: ['what a day'] });
      if (answer.status === 200) {
        answered[answer.json.revision] += 1;
      }
    }
  });
  const live = page.locator('section', { has: page.getByRole('heading', { name: /Instances and load/ }) });
  await live.getByText(/sentiment-00001: \d+ of \d+ ready, [0-9.]*[1-9][0-9.]* in flight/).waitFor({ timeout: 20_000 });
  await screenshot(page, 'requests-arriving');
  await Promise.all(callers);
  assert.ok(answered['sentiment-00001'] > answered['sentiment-00002'], JSON.stringify(answered));

  // The gateway's counts: per revision on the service's page, per service in the list.
  const requests = page.locator('section', { has: page.getByRole('heading', { name: 'Requests, last hour' }) });
  const first = requests.getByRole('row', { name: /sentiment-00001/ });
  await first.waitFor({ timeout: 20_000 });
  await requests.getByRole('row', { name: /sentiment-00002/ }).waitFor({ timeout: 20_000 });
  assert.match(await first.innerText(), /\d+\s+[0-9.]+\/s\s+[0-9.]+ %/);
  await screenshot(page, 'requests-per-revision');
  await nav('Services');
  const row = page.getByRole('row', { name: new RegExp(SERVICE) });
  await row.getByText(/errors$/).waitFor({ timeout: 30_000 });
  assert.match(await row.innerText(), /[0-9.]+\/s/);
  await screenshot(page, 'services-requests');
  await row.getByRole('link', { name: SERVICE }).click();
});

step('watches it scale to zero', async () => {
  const live = page.locator('section', { has: page.getByRole('heading', { name: /Instances and load/ }) });
  await live.getByText('sentiment-00001: 0 of 0 ready').waitFor({ timeout: 90_000 });
  await live.getByText('sentiment-00002: 0 of 0 ready').waitFor({ timeout: 90_000 });
  await screenshot(page, 'scaled-to-zero');

  await nav('Services');
  const row = page.getByRole('row', { name: new RegExp(SERVICE) });
  await row.getByText('scaled to zero').waitFor({ timeout: 30_000 });
  await screenshot(page, 'services-overview');
  await row.getByRole('link', { name: SERVICE }).click();
});

step('measures a cold start and sees it against the SLO', async () => {
  const panel = page.locator('section', { has: page.getByRole('heading', { name: /Cold starts/ }) });
  // Both revisions are tagged and idle by now, so both are offered; the probe names the one it takes to zero and asks.
  await panel.getByLabel('Revision').selectOption('sentiment-00001');
  await panel.getByRole('button', { name: 'Measure cold starts of sentiment-00001' }).click();
  await panel.getByText(/Take sentiment-00001 to zero 3 times/).waitFor();
  await screenshot(page, 'cold-start-probe-confirmation');
  await panel.getByRole('button', { name: 'Measure sentiment-00001' }).click();
  await panel.getByText(/Measured \d+ cold starts of sentiment-00001/).waitFor({ timeout: 120_000 });
  await panel.locator('.stat', { hasText: 'p95' }).first().waitFor();
  await panel.locator('.time-chart canvas').first().waitFor();
  // The probe's cold starts are counted apart from the users' own.
  await panel.locator('.stat', { hasText: 'measured by the probe' }).waitFor({ timeout: 30_000 });
  assert.match(await panel.locator('.stat', { hasText: 'measured by the probe' }).innerText(), /[1-9]/);
  await panel.getByText('Slowest cold starts, phase by phase').waitFor();
  await screenshot(page, 'cold-starts');
});

step('rolls back to the first revision', async () => {
  const timeline = page.locator('section', { has: page.getByRole('heading', { name: 'Revisions' }) });
  await timeline.locator('li', { hasText: 'sentiment-00001' }).getByRole('button', { name: 'Roll back to this' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('All requests will go to sentiment-00001.').waitFor();
  await screenshot(page, 'roll-back-confirmation');
  await dialog.getByRole('button', { name: 'Roll back to sentiment-00001' }).click();
  await dialog.waitFor({ state: 'hidden' });

  const rolledBack = await service();
  assert.deepEqual(rolledBack.traffic, [
    { revision: 'sentiment-00001', percent: 100, tag: 'stable' },
    { revision: 'sentiment-00002', percent: 0, tag: 'canary' },
  ]);
  await screenshot(page, 'rolled-back');
});

step('reads a crashing revision\'s logs in one click and stops it', async () => {
  // CI rolls out a broken model: the new revision crashes at once, backs off, and traffic stays where it is.
  const current = await service();
  const deployed = await ebb.api(
    'PUT',
    SERVICE_API,
    {
      labels: current.labels,
      coldStartSlo: current.coldStartSlo,
      template: { ...current.template, command: ['sh', '-c', 'echo model file /models/2.0 is missing; exit 3'], args: [] },
      traffic: current.traffic,
    },
    { 'Ebb-Change-Cause': 'CI: model 2.0' },
  );
  assert.equal(deployed.status, 200, deployed.text);
  await eventually('sentiment-00003 to restart after a crash', async () => {
    const answer = await ebb.api('GET', `${SERVICE_API}/revisions/sentiment-00003`);
    return (answer.json?.status?.instances?.restarts ?? 0) >= 1;
  }, 90_000);

  const timeline = page.locator('section', { has: page.getByRole('heading', { name: 'Revisions' }) });
  const failing = timeline.locator('li.timeline-item', { hasText: 'sentiment-00003' });
  await failing.getByText(/Instances restarted/).waitFor();
  await screenshot(page, 'crashing-revision');
  await failing.getByRole('link', { name: 'Logs of sentiment-00003' }).click();

  await page.getByRole('heading', { name: 'Logs of sentiment-00003' }).waitFor();
  const lines = page.getByLabel('Log lines of sentiment-00003');
  await lines.getByText('model file /models/2.0 is missing').first().waitFor();
  await lines.locator('.log-start').first().waitFor();
  await screenshot(page, 'revision-logs');
  await page.getByLabel(/Previous run/).check();
  await lines.getByText('model file /models/2.0 is missing').first().waitFor();
  await screenshot(page, 'revision-logs-previous');

  await page.getByRole('link', { name: `← ${SERVICE}` }).click();
  await failing.getByRole('button', { name: 'Stop sentiment-00003' }).click();
  await failing.getByRole('alertdialog').getByRole('button', { name: 'Stop it' }).click();
  await failing.getByText(/Stopped by/).waitFor();
  await failing.getByRole('button', { name: 'Retry sentiment-00003' }).waitFor();
  const stopped = await ebb.api('GET', `${SERVICE_API}/revisions/sentiment-00003`);
  assert.equal(stopped.json.status.stopped.by, `user:${USER.username}`);
  await eventually('sentiment-00003 to run no instance', async () => {
    const answer = await ebb.api('GET', `${SERVICE_API}/revisions/sentiment-00003`);
    return (answer.json?.status?.instances?.items ?? []).length === 0;
  });
  await screenshot(page, 'revision-stopped');
});

step('finds each step in the audit view', async () => {
  await nav('Audit');
  await page.getByLabel('Namespace').fill(NS);
  for (const cause of ['first deployment', 'CI: model 1.1', 'canary 10%', 'roll back to sentiment-00001']) {
    await page.getByText(cause, { exact: false }).first().waitFor();
  }
  await screenshot(page, 'audit');
});

step('opens an event to see what it changed', async () => {
  const event = page.getByRole('button', { name: /canary 10%/ }).first();
  await event.click();
  assert.equal(await event.getAttribute('aria-expanded'), 'true');
  await page.locator('.change-list').getByText(/percent/).first().waitFor();
  await screenshot(page, 'audit-event');
});

step('sees the services as they were before the canary', async () => {
  await nav('Point in time');
  const pad = (n) => String(n).padStart(2, '0');
  const d = beforeSplit;
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  await page.getByLabel('Instant (your time zone)').fill(local);
  await page.getByRole('button', { name: 'Show' }).click();
  const row = page.getByRole('row', { name: new RegExp(SERVICE) });
  await row.waitFor();
  await row.getByText('sentiment-00001').waitFor();
  assert.doesNotMatch(await row.innerText(), /canary/);
  await screenshot(page, 'point-in-time');
});

step('shows tokens and users to an admin', async () => {
  await nav('Tokens');
  await page.getByRole('heading', { name: /Tokens/ }).first().waitFor();
  await screenshot(page, 'tokens');
  await nav('Users');
  await page.getByText(USER.username, { exact: true }).first().waitFor();
  await screenshot(page, 'users');
});

step('stays readable in a narrow window', async () => {
  await page.setViewportSize({ width: 420, height: 900 });
  await nav('Services');
  await page.getByRole('link', { name: SERVICE }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await screenshot(page, 'services-narrow');
});
