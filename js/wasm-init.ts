// Loading the WebAssembly module, for every entry. One flag says whether the
// glue has an instance: the browser entry's functions check it first and throw
// a `not_initialized` Error naming what to call instead of the glue's opaque
// `TypeError: Cannot read properties of undefined`.
//
// In a browser the download and compile start when this module is evaluated
// (the client bundle runs before hydration), so by the time a provider's
// effect calls `init()` the module is usually compiled already. `init()` is
// idempotent, and after a failure (404, offline, a CSP without
// 'wasm-unsafe-eval') the next call tries again from scratch.
import initGlue, { initSync as initSyncGlue } from '../pkg/opsmantik_pulse.js';
import { describe } from './args.js';
import { pulseError } from './errors.js';
import type { PulseError } from './types.js';

/** What `init()` accepts: a URL or path to fetch, a `Response`, bytes, or a compiled module (or `{module_or_path}`). */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | BufferSource
  | WebAssembly.Module
  | Promise<Response>
  | { module_or_path: string | URL | Request | Response | BufferSource | WebAssembly.Module | Promise<Response> };

let ready = false;
let loading: Promise<void> | undefined;
let preloaded: { url: string; module: Promise<WebAssembly.Module> } | undefined;

/** True once the wasm is instantiated (always true under `opsmantik-pulse/node`). */
export function isInitialized(): boolean {
  return ready;
}

/** Called by entries that instantiate the glue themselves (the Node entry). */
export function markInitialized(): void {
  ready = true;
}

/** The error every wasm-backed function throws before `init()` has finished. */
export function notInitializedError(what: string): PulseError {
  return pulseError(
    'not_initialized',
    `opsmantik-pulse: ${what} needs the WebAssembly module, which is not loaded yet. ` +
      "Call `await init()` (import { init } from 'opsmantik-pulse') once before, or import from " +
      "'opsmantik-pulse/node' in Node, where it is ready at import. Under React, <PulseProvider> loads it after " +
      "mount; during a server render compute such values with 'opsmantik-pulse/server' and pass them down.",
  );
}

export function ensureInitialized(what: string): void {
  if (!ready) throw notInitializedError(what);
}

/** Wraps a function so it throws `not_initialized` instead of a TypeError before `init()`. */
export function needsWasm<A extends unknown[], R>(name: string, f: (...args: A) => R): (...args: A) => R {
  const guarded = (...args: A): R => {
    if (!ready) throw notInitializedError(`${name}()`);
    return f(...args);
  };
  Object.defineProperty(guarded, 'name', { value: name });
  return guarded;
}

/** The wasm file next to the glue, as bundlers see it (`new URL(…, import.meta.url)` is traced and copied by Next, Vite, webpack, Turbopack). */
export function defaultWasmUrl(): URL {
  return new URL('../pkg/opsmantik_pulse_bg.wasm', import.meta.url);
}

/**
 * The wasm's URL as a page can fetch it, for a `<link rel="preload">` in the server-rendered
 * HTML, or null when it cannot be known here. In a browser it is the default URL. During a
 * server render Turbopack (Next.js 16) gives a relative URL object, without a protocol, whose
 * href is the public path the page will fetch (`/_next/static/media/…wasm`). Anything else
 * on a server (a `file:` URL: a file on the server's disk) is not a page's URL: null, no hint,
 * and the client starts the download when the bundle is evaluated, as without one.
 */
export function wasmPreloadHref(): string | null {
  let url: URL;
  try {
    url = defaultWasmUrl();
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  if (url.protocol === '' && url.href.startsWith('/')) return url.href;
  return null;
}

async function compileFrom(response: Response | Promise<Response>): Promise<WebAssembly.Module> {
  const res = await response;
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
  // compileStreaming needs `Content-Type: application/wasm`; some servers say otherwise.
  if (typeof WebAssembly.compileStreaming === 'function' && (res.headers.get('Content-Type') ?? '').split(';')[0]?.trim() === 'application/wasm') {
    return WebAssembly.compileStreaming(res);
  }
  return WebAssembly.compile(await res.arrayBuffer());
}

function loadFailed(url: string, cause: unknown): PulseError {
  const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  const csp = /CompileError|unsafe-eval|Content Security Policy|CSP/i.test(detail)
    ? " The page's Content-Security-Policy must allow compiling WebAssembly: add 'wasm-unsafe-eval' to script-src."
    : '';
  const err = pulseError(
    'wasm_load_failed',
    `opsmantik-pulse: could not load its WebAssembly module from ${url} (${detail}).${csp} ` +
      'The file must be served (it is the package export opsmantik-pulse/wasm; bundlers copy it) and connect-src must allow it.',
  );
  return Object.assign(err, { cause });
}

/**
 * Starts downloading and compiling the wasm now (idempotent), without instantiating it.
 * The browser entry calls it when it is evaluated; call it yourself with a URL if you serve the file elsewhere.
 */
export function preloadWasm(url?: string | URL | null): Promise<WebAssembly.Module> {
  if (url !== undefined && url !== null && typeof url !== 'string' && !(url instanceof URL)) {
    throw pulseError('invalid_argument', `url must be a string or a URL, got ${describe(url)}`);
  }
  const href = url === undefined || url === null ? defaultWasmUrl().href : String(url);
  if (preloaded?.url !== href) {
    const module = (async () => compileFrom(fetch(href, { credentials: 'same-origin' })))().catch((cause: unknown) => {
      throw loadFailed(href, cause);
    });
    module.catch(() => {}); // reported by init(), which awaits it
    preloaded = { url: href, module };
  }
  return preloaded.module;
}

/**
 * Loads the wasm (browser/bundler entry). Idempotent: concurrent calls share one load and a
 * loaded module is never loaded again. Without an argument it uses the download started when the
 * package was evaluated. Rejects with an Error of kind `wasm_load_failed`; call again to retry.
 */
export function init(input?: InitInput): Promise<void> {
  if (ready) return Promise.resolve();
  if (!loading) {
    const from = input === undefined ? String(defaultWasmUrl()) : describeInput(input);
    const attempt = (async () => {
      try {
        const module = input === undefined ? await preloadWasm() : input;
        await initGlue({ module_or_path: unwrap(module) as never });
        ready = true;
      } catch (cause) {
        if (input === undefined) preloaded = undefined; // the next call downloads again
        throw (cause as Partial<PulseError>)?.kind === 'wasm_load_failed' ? cause : loadFailed(from, cause);
      }
    })();
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = undefined;
    });
  }
  return loading;
}

/** Instantiates synchronously from bytes or a compiled module you already hold. */
export function initSync(module: BufferSource | WebAssembly.Module | { module: BufferSource | WebAssembly.Module }): void {
  if (ready) return;
  try {
    initSyncGlue({ module: unwrap(module, 'module') as never });
  } catch (cause) {
    throw loadFailed(describeInput(module as InitInput), cause);
  }
  ready = true;
}

function unwrap(value: unknown, key = 'module_or_path'): unknown {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && key in value
    ? (value as Record<string, unknown>)[key]
    : value;
}

function describeInput(input: InitInput): string {
  const v = unwrap(input);
  if (typeof v === 'string') return v;
  if (v instanceof URL) return v.href;
  if (typeof Request === 'function' && v instanceof Request) return v.url;
  if (typeof Response === 'function' && v instanceof Response) return v.url || 'a Response';
  return 'the bytes or module passed to init()';
}

// In a browser, start the download at module evaluation: it overlaps with
// hydration instead of starting after React mounts.
if (typeof window !== 'undefined' && typeof document !== 'undefined' && typeof fetch === 'function' && typeof WebAssembly === 'object') {
  try {
    preloadWasm();
  } catch {
    // An unusual environment (no URL support for import.meta.url): init() reports it.
  }
}
