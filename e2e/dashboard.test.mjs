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
  // Both revisions are tagged; the probe offers them once they have had no request for a minute (taking a revision that
  // serves users to zero would make them wait), names the one it takes to zero and asks.
  const revisionPicker = panel.getByLabel('Revision to measure');
  await revisionPicker.waitFor({ timeout: 150_000 });
  await revisionPicker.selectOption('sentiment-00001');
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
  // The time axis spans the chosen window, the last 24 hours unless another is picked.
  assert.equal(await panel.getByLabel('Window').inputValue(), String(24 * 3_600_000));
  await panel.getByRole('img', { name: /Cold starts over the last 24 hours/ }).waitFor();
  await screenshot(page, 'cold-starts');
});

step('reads every chart with units, whole instance counts and no empty legend values', async () => {
  const live = page.locator('section', { has: page.getByRole('heading', { name: /Instances and load/ }) });
  const cold = page.locator('section', { has: page.getByRole('heading', { name: /Cold starts/ }) });
  const legends = async (section) => (await section.locator('.chart-legend').allInnerTexts()).join('\n');
  assert.match(await legends(live), /sentiment-00001 ready \(instances\)/);
  assert.match(await legends(live), /sentiment-00001 \(requests in flight\)/);
  assert.match(await legends(cold), /within SLO \(ms\)/);
  // uPlot's own legend said "Time: --" while the cursor was elsewhere; the charts now have none.
  assert.equal(await page.locator('.u-legend').count(), 0);
  assert.doesNotMatch(await page.locator('main').innerText(), /Time\s*:?\s*--/);
  // Pointing at the instances chart reads out the instant and the values there, with units.
  const chart = live.getByRole('img', { name: 'Instances per revision over the last hour' });
  // The probe's step left the page scrolled down to the cold starts; the mouse only points at what is in view.
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await live.locator('.chart-readout', { hasText: /instances/ }).first().waitFor();
  await screenshot(page, 'charts-with-units');
  await page.mouse.move(0, 0);
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
  const split = page.getByRole('table', { name: 'Traffic split' });
  await split.getByRole('row', { name: /sentiment-00002 canary\s*—\s*10%/ }).waitFor();
  await split.getByRole('row', { name: /sentiment-00001 stable\s*—\s*90%/ }).waitFor();
  assert.equal(await page.getByText(/traffic\[\d\]/).count(), 0, 'traffic shows as a split, not by array index');
  assert.equal(await page.getByText(/metadata\.resourceVersion/).count(), 0, 'derived fields stay hidden until asked for');
  await screenshot(page, 'audit-event');
});

step('labels a traffic change made with a service PUT as one, filters by it, and shows derived fields on request', async () => {
  // CI sends back the whole service, dropping the canary tag: only the traffic changes.
  const current = await service();
  const put = await ebb.api(
    'PUT',
    SERVICE_API,
    {
      labels: current.labels,
      coldStartSlo: current.coldStartSlo,
      template: current.template,
      traffic: [{ revision: 'sentiment-00001', percent: 100, tag: 'stable' }],
    },
    { 'Ebb-Change-Cause': 'CI: drop the canary tag' },
  );
  assert.equal(put.status, 200, put.text);
  await page.reload();
  // The whole trail first: the creation, which is no traffic change, going away below shows the filter applied.
  await page.getByRole('button', { name: /first deployment/ }).first().waitFor();
  await page.getByLabel('Action').selectOption('traffic.update');
  await page.getByRole('button', { name: /first deployment/ }).first().waitFor({ state: 'detached' });
  const event = page.getByRole('button', { name: /CI: drop the canary tag/ });
  await event.waitFor();
  assert.match(await event.innerText(), /traffic\.update/);
  assert.equal(await page.getByRole('button', { name: /service\.update/ }).count(), 0, 'only traffic changes are listed');
  assert.match(page.url(), /action=traffic\.update/);
  await event.click();
  const detail = page.locator('.audit-event', { has: event });
  await detail.getByRole('table', { name: 'Traffic split' }).getByRole('row', { name: /sentiment-00002 canary\s*0%\s*—/ }).waitFor();
  await detail.getByLabel(/Show derived fields/).check();
  await detail.getByText('metadata.resourceVersion').waitFor();
  await screenshot(page, 'audit-traffic-put-filtered');
});

step('shows a service whose newest revision failed while its traffic is served as serving, in amber', async () => {
  const current = await service();
  const put = await ebb.api(
    'PUT',
    SERVICE_API,
    {
      labels: current.labels,
      coldStartSlo: current.coldStartSlo,
      template: { ...current.template, command: ['sh', '-c', 'echo cannot load model 2.1; exit 1'] },
      traffic: current.traffic,
    },
    { 'Ebb-Change-Cause': 'CI: model 2.1' },
  );
  assert.equal(put.status, 200, put.text);
  // sentiment-00003 is the crashing revision stopped above; this one crash-loops until it reads as failed.
  await eventually('sentiment-00004 to fail', async () => {
    const answer = await ebb.api('GET', `${SERVICE_API}/revisions/sentiment-00004`);
    return answer.json?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'False';
  }, 120_000);
  // What the API says: Ready False as in Knative, with the traffic served and the newest revision failed.
  const conditions = Object.fromEntries((await service()).status.conditions.map((c) => [c.type, c.status]));
  assert.deepEqual(conditions, { Ready: 'False', ConfigurationsReady: 'False', RoutesReady: 'True' });

  await nav('Services');
  const row = page.getByRole('row', { name: new RegExp(SERVICE) });
  const badge = row.locator('.badge', { hasText: 'Serving (newest revision failed)' });
  await badge.waitFor({ timeout: 30_000 });
  assert.match(await badge.getAttribute('class'), /ready-degraded/);
  assert.equal(await row.locator('.badge.ready-false').count(), 0, 'no red badge');
  await screenshot(page, 'services-newest-failed');
  await row.getByRole('link', { name: SERVICE }).click();
  const header = page.locator('.service-header');
  await header.locator('.badge.ready-degraded', { hasText: 'Serving (newest revision failed)' }).waitFor();
  await header.getByText(/Serving all its traffic, but the newest revision failed/).waitFor();
  await screenshot(page, 'service-newest-failed');
});

step('opens the point in time at the last change, showing the status observed then', async () => {
  await nav('Point in time');
  await page.getByText(/As stored at the last change/).waitFor();
  const row = page.getByRole('row', { name: new RegExp(SERVICE) });
  // The last change is the failure the runtime observed, not a spec write: its status is in the snapshot.
  await row.locator('.badge', { hasText: 'Serving (newest revision failed)' }).waitFor();
  assert.notEqual(await page.getByLabel('Instant (your time zone)').inputValue(), '');
  await screenshot(page, 'point-in-time-last-change');
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

step('shows which replica leads and each cluster\'s health to an admin', async () => {
  await nav('Clusters');
  await page.getByText(/leads; it became the leader/).waitFor();
  const local = page.getByRole('row', { name: /local/ });
  await local.getByText('Reachable').waitFor();
  await screenshot(page, 'clusters');
});

step('marks a blue/green rollout in the list, shows it on the service and promotes it', async () => {
  const name = 'bluegreen';
  const api = `/api/v1/namespaces/${NS}/services/${name}`;
  const template = (version) => ({
    command: ['java', '-jar', MODEL_SERVER],
    env: { MODEL_VERSION: version },
    readiness: { path: '/healthz' },
    scale: { min: 1 },
  });
  const created = await ebb.api('POST', `/api/v1/namespaces/${NS}/services`,
    { name, template: template('1.0'), rollout: { strategy: 'blueGreen' } });
  assert.equal(created.status, 201, created.text);
  await eventually('bluegreen-00001 to be taken as stable', async () =>
    (await ebb.api('GET', `${api}/rollout`)).json?.revision === 'bluegreen-00001', 90_000);
  const changed = await ebb.api('PATCH', api, { template: { env: { MODEL_VERSION: '2.0' } } });
  assert.equal(changed.status, 200, changed.text);
  await eventually('bluegreen-00002 to roll out at 0 %', async () => {
    const rollout = (await ebb.api('GET', `${api}/rollout`)).json;
    return rollout?.revision === 'bluegreen-00002' && rollout.state === 'progressing';
  }, 90_000);

  await nav('Services');
  await page.getByRole('row', { name: new RegExp(name) }).getByText('rolling out 0 %').waitFor();
  await page.getByRole('link', { name, exact: true }).click();
  const panel = page.getByRole('region', { name: 'Rollout of bluegreen-00002 from bluegreen-00001' });
  await panel.getByText('blueGreen, step 1 of 2, 0 % to bluegreen-00002').waitFor();
  await screenshot(page, 'rollout-blue-green');
  await panel.getByRole('button', { name: 'Promote bluegreen-00002' }).click();
  await panel.locator('.badge', { hasText: 'succeeded' }).waitFor();
  await panel.getByText(/promoted by/).first().waitFor();
  const traffic = (await ebb.api('GET', api)).json.status.traffic;
  assert.deepEqual(traffic.map((t) => [t.revision, t.percent]), [['bluegreen-00002', 100]]);
  const audit = (await ebb.api('GET', `/api/v1/audit?namespace=${NS}&service=${name}&action=rollout.promote`)).json;
  assert.equal(audit.items.length, 1, 'the promotion is audited');
  assert.equal(audit.items[0].actor, `user:${USER.username}`);
  const deleted = await ebb.api('DELETE', api);
  assert.equal(deleted.status, 204, deleted.text);
});

step('stays readable in a narrow window', async () => {
  await page.setViewportSize({ width: 420, height: 900 });
  await nav('Services');
  await page.getByRole('link', { name: SERVICE }).waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the window`);
  await screenshot(page, 'services-narrow');
});
