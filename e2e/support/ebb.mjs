// Starts the real Ebb jar on free loopback ports with a fresh data directory, and talks to its API.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const JAR = join(ROOT, 'backend', 'target', 'ebb.jar');
export const MODEL_SERVER = join(ROOT, 'examples', 'model-server', 'target', 'model-server.jar');
export const OUT = join(ROOT, 'e2e', 'target');
const TOKEN = 'e2e-bootstrap-token';

async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A running Ebb: `base` is the API and console, `gateway` the internal gateway listener. `args` are added to
 * the command line, such as settings for one run.
 */
export async function startEbb({ args = [], log: logName = 'ebb.log' } = {}) {
  for (const [file, how] of [
    [JAR, 'mvn -DskipTests package'],
    [MODEL_SERVER, 'mvn -DskipTests package'],
  ]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: build it first with '${how}' from ${ROOT}`);
    }
  }
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'ebb-e2e-'));
  const [httpPort, gatewayPort, publicPort] = [await freePort(), await freePort(), await freePort()];
  const logFile = join(OUT, logName);
  const log = createWriteStream(logFile);
  const child = spawn(
    'java',
    [
      // C1 only, as every test JVM of the build: the scenario runs Ebb for minutes, little of its code hot enough for
      // C2 to pay for its compiler threads' CPU on a two-core machine.
      '-XX:TieredStopAtLevel=1',
      '-jar',
      JAR,
      // Scale to zero as soon as a revision's window shows no load, so the scenario need not wait 30 s more.
      '--ebb.autoscaler.scale-to-zero-grace-period=0s',
      // A crashing revision's restarts 2 s apart, doubling (Kubernetes' 10 s in production), so that the revisions the
      // scenario breaks reach their crash loop in seconds rather than half a minute.
      '--ebb.runtime.local.restart-backoff=2s',
      '--ebb.security.password-hash-cost=4',
      ...args,
    ],
    {
      env: {
        ...process.env,
        EBB_DATA_DIR: dataDir,
        EBB_BOOTSTRAP_TOKEN: TOKEN,
        EBB_HTTP_PORT: String(httpPort),
        EBB_GATEWAY_PORT: String(gatewayPort),
        EBB_GATEWAY_PUBLIC_PORT: String(publicPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = once(child, 'exit');

  const ebb = {
    base: `http://127.0.0.1:${httpPort}`,
    gatewayPort,
    dataDir,
    api: (method, path, body, headers = {}) => request(`http://127.0.0.1:${httpPort}${path}`, method, body, { Authorization: `Bearer ${TOKEN}`, ...headers }),
    gateway: (host, path, body) => request(`http://127.0.0.1:${gatewayPort}${path}`, body ? 'POST' : 'GET', body, { Host: host }),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`Ebb stopped during start-up with exit code ${child.exitCode}; see ${logFile}`);
    }
    const health = await request(`${ebb.base}/actuator/health`, 'GET').catch(() => null);
    if (health?.status === 200) {
      return ebb;
    }
    if (Date.now() > deadline) {
      await ebb.stop();
      throw new Error(`Ebb did not become healthy within 120 s; see ${logFile}`);
    }
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** One HTTP request on loopback; the body is JSON in and out. */
export function request(url, method, body, headers = {}) {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json' } : {}), ...headers },
        timeout: 60_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          resolvePromise({ status: res.statusCode, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    if (payload) {
      req.write(payload);
    }
    req.end();
  });
}

/** Polls `check` until it returns something truthy, or fails saying what was awaited. */
export async function eventually(what, check, timeoutMs = 60_000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) {
        return last;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`Gave up after ${timeoutMs / 1000} s waiting for ${what}; last saw: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    }
    await new Promise((done) => setTimeout(done, everyMs));
  }
}
