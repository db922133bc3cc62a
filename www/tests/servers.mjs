// Starts production servers of the demo (and a Redis) for the e2e tests.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { freePort } from '../../tests/free-port.mjs';

const WWW = fileURLToPath(new URL('..', import.meta.url));
const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url));

async function waitFor(url, child, ms = 30_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // A server that died (e.g. EADDRINUSE) must fail here, not hand its port to whoever holds it.
    if (child.exitCode !== null) throw new Error(`server for ${url} exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server at ${url} did not come up in ${ms} ms`);
}

/** The demo's production server (`server.mjs`: `next start` plus brotli assets) with extra env on a free port (or `port`); resolves when it answers. */
export async function startDemo(env = {}, port = 0) {
  port ||= await freePort();
  const child = spawn(process.execPath, [SERVER, '-H', '127.0.0.1', '-p', String(port)], {
    cwd: WWW,
    // No traffic and no test-only routes unless a test asks for them.
    env: { ...process.env, PULSE_SIM_RATE: '0', PULSE_DEMO_TEST_HOOKS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${base}/api/stats/realtime?siteId=3f2b6c1e-9a4d-4c1e-8f00-000000000001`, child);
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${error.message}\n${log.slice(-2000)}`);
  }
  return { base, pid: child.pid, log: () => log, stop: () => child.kill('SIGTERM') };
}

/** A throwaway redis-server from Debian on a free port, or null when it is not installed. */
export async function startRedis() {
  const port = await freePort();
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) return null;
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 400));
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

/** Debian's Chromium, headless, with the flags every e2e file uses (never a downloaded browser). */
export function launchChromium() {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args });
}
