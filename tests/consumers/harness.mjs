// The consumer fixtures' harness: a work folder per app outside the repository
// (so no parent lockfile or node_modules can help), dependencies installed once
// per lockfile hash and kept, the packed tarball installed on top, the README's
// snippets written in, processes on 127.0.0.1, and one headless Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../free-port.mjs';

export { freePort };

export const FIXTURES = fileURLToPath(new URL('.', import.meta.url));
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Where installed fixtures are kept between runs (CI runs on the same machine). */
export const CACHE = process.env.PULSE_CONSUMERS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'opsmantik-pulse', 'consumers');

export function tarball() {
  const t = process.env.PULSE_TARBALL;
  if (!t || !existsSync(t)) throw new Error('PULSE_TARBALL must name the npm pack output (scripts/consumers.sh sets it)');
  return t;
}

const log = (...a) => console.log('[consumers]', ...a);

/** Runs a command to completion; throws with its output on failure. */
export function run(cmd, args, { cwd, env = {}, timeoutMs = 600_000 } = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed after ${secs}s:\n${(r.stdout ?? '').slice(-6000)}\n${(r.stderr ?? '').slice(-6000)}`);
  log(`${cmd} ${args.join(' ')}: ${secs}s`);
  return r.stdout;
}

/** Starts a long-running process; `stop()` ends it (its whole group) and returns its output. */
export function start(cmd, args, { cwd, env = {} } = {}) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return {
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
        await new Promise((r) => { child.once('exit', r); setTimeout(r, 5000); });
        try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      }
      return out;
    },
  };
}


/** Polls `url` until it answers (any status below 500), or throws with the server's output. */
export async function waitForHttp(url, server, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (server?.child.exitCode !== null && server?.child.exitCode !== undefined) break;
    try {
      const res = await fetch(url);
      if (res.status < 500) return res;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up:\n${server?.output().slice(-4000) ?? ''}`);
}

/** Every README block introduced by `<!-- file: path -->`, by path, verbatim. */
export function readmeFiles() {
  const text = readFileSync(join(REPO, 'README.md'), 'utf8');
  const files = {};
  for (const m of text.matchAll(/<!-- file: (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g)) files[m[1]] = m[2] + '\n';
  return files;
}

function copyTree(from, to, skip = new Set(['node_modules', '.next', 'dist', 'next-env.d.ts', 'tsconfig.tsbuildinfo'])) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (skip.has(name)) continue;
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyTree(src, join(to, name), skip);
    else cpSync(src, join(to, name));
  }
}

/**
 * The app's work folder, ready to build: the fixture's files (and `extra` folders) copied in,
 * dependencies installed once per lockfile hash (`npm ci`, from npm's cache after the first
 * run), build output removed, the README's files written, the tarball installed.
 */
export function prepare(app, { extra = {}, readme = {}, workspace } = {}) {
  const src = join(FIXTURES, app);
  const dir = join(CACHE, app);
  const hash = createHash('sha256').update(readFileSync(join(src, 'package.json'))).update(readFileSync(join(src, 'package-lock.json'))).digest('hex');
  const stamp = join(dir, '.installed');
  const fresh = !existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash;
  if (fresh) rmSync(dir, { recursive: true, force: true });
  copyTree(src, dir);
  // Extra folders bring their sources, not their package files (the app's own package.json stays).
  for (const [to, from] of Object.entries(extra)) copyTree(from, join(dir, to), new Set(['node_modules', '.next', 'package.json', 'package-lock.json', 'next-env.d.ts']));
  for (const out of ['.next', 'dist', 'apps/web/.next']) rmSync(join(dir, out), { recursive: true, force: true });
  const files = readmeFiles();
  for (const [to, from] of Object.entries(readme)) {
    if (!(from in files)) throw new Error(`README.md has no block marked <!-- file: ${from} -->`);
    mkdirSync(dirname(join(dir, to)), { recursive: true });
    writeFileSync(join(dir, to), files[from]);
  }
  if (fresh) {
    run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir });
    writeFileSync(stamp, hash);
  } else {
    log(`${app}: dependencies cached (${hash.slice(0, 12)})`);
  }
  run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefer-offline', tarball(), ...(workspace ? ['-w', workspace] : [])], { cwd: dir });
  return dir;
}

let browserPromise;
/** One headless Debian Chromium for the whole file (never a downloaded browser). */
export async function browser() {
  if (!browserPromise) {
    const { chromium } = await import('playwright-core');
    browserPromise = chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }
  return browserPromise;
}

export async function closeBrowser() {
  if (browserPromise) await (await browserPromise).close();
}

/**
 * Opens `url` and waits for the live page: status SUBSCRIBED, a realtime callback fired (the
 * backend's calls INSERT), stats from the backend (`sealed` moved from the seed to the value the
 * backend gives after the insert). Returns what it saw; console errors and hydration warnings are
 * collected, not thrown.
 */
export async function openLivePage(url, { sealedAfter, timeoutMs = 30_000, extra } = {}) {
  const b = await browser();
  const context = await b.newContext();
  const page = await context.newPage();
  const consoleErrors = [];
  const hydration = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/hydrat|did not match|server rendered/i.test(text)) hydration.push(`${msg.type()}: ${text}`);
    if (msg.type() === 'error') consoleErrors.push(text);
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) consoleErrors.push(`HTTP ${res.status()} ${res.url()}`);
  });
  const wasmRequests = [];
  page.on('request', (req) => {
    if (/\.wasm(\?|$)/.test(req.url())) wasmRequests.push(new URL(req.url()).pathname);
  });
  try {
    await page.goto(url, { waitUntil: 'load' });
    const text = (id) => page.locator(`[data-testid=${id}]`).first().textContent({ timeout: timeoutMs });
    const initial = { sealed: await text('sealed'), status: await text('status') };
    await page.waitForFunction(() => document.querySelector('[data-testid=status]')?.textContent === 'SUBSCRIBED', null, { timeout: timeoutMs });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=calls]')?.textContent) >= 1, null, { timeout: timeoutMs });
    if (sealedAfter !== undefined) {
      await page.waitForFunction((n) => document.querySelector('[data-testid=sealed]')?.textContent === String(n), sealedAfter, { timeout: timeoutMs });
    }
    const seen = {
      initial,
      sealed: await text('sealed'),
      status: await text('status'),
      calls: Number(await text('calls')),
      error: await page.locator('[data-testid=error]').count() ? await text('error') : null,
      extra: extra ? await extra(page) : undefined,
    };
    return { ...seen, consoleErrors, hydration, wasmRequests };
  } catch (err) {
    const body = await page.locator('body').innerText().catch(() => '');
    err.message += `\npage text: ${body.slice(0, 1000)}\nconsole errors: ${consoleErrors.join('\n')}`;
    throw err;
  } finally {
    await context.close();
  }
}
