import { useEffect, useState, type ReactNode, useMemo } from 'react';
import * as ReactDOM from 'react-dom';
import { PulseDriver, type PulseDriverOptions } from '../driver.js';
import { installDevtools } from '../devtools/console.js';
import { pulseError } from '../errors.js';
import type { ServerSnapshot } from '../server-snapshot.js';
import type { MergePolicy, PulseError } from '../types.js';
import type { RealtimeAdapter } from '../adapters/types.js';
import { init as initWasm, wasmPreloadHref } from '../wasm-init.js';
import { loadZones, needsZonePack } from '../zones.js';
import { RealtimePreconnect } from '../realtime-preconnect.js';
import { DEFAULT_SCOPE, leaderLockName } from '../cross-tab/names.js';
import { PulseContext } from './context.js';

export interface PulseProviderProps extends Partial<Omit<PulseDriverOptions, 'policy'>> {
  children?: ReactNode;
  /** From `createServerSnapshot` on the server: the hooks' first render reads only this. */
  snapshot?: ServerSnapshot | null;
  policy?: MergePolicy;
  /** Expose the engine as `window.__PULSE__` (snapshot(), counters(), log(), help()). */
  devtools?: boolean;
  /** Use this driver instead of creating one (tests, or several providers sharing one). */
  driver?: PulseDriver;
  /** Loads the wasm (default: the package's `init()`, whose download started at import; idempotent). */
  init?: () => Promise<unknown>;
  /**
   * Put a `<link rel="preload">` for the wasm in the server-rendered head (React 19), so its
   * download starts with the HTML instead of when the client bundle is evaluated. Off by
   * default: on a slow link the wasm then shares the bandwidth with the page's JavaScript and
   * delays hydration, and with it the realtime channel (README, "When the wasm downloads").
   */
  wasmHintInHead?: boolean;
}

/** Retry delays after a failed wasm load: 1 s, 2 s, 4 s … capped at 30 s; a return online retries at once. */
export const WASM_RETRY_MS = { first: 1_000, max: 30_000 } as const;

/** A driver that cannot start (a bad `cadence`, missing adapters): the hooks show why, nothing retries. */
function asStartError(err: unknown): PulseError {
  if (err instanceof Error && typeof (err as Partial<PulseError>).kind === 'string') return err as PulseError;
  return Object.assign(pulseError('invalid_argument', err instanceof Error ? err.message : String(err)), { cause: err });
}

function asLoadError(err: unknown): PulseError {
  if (err instanceof Error && (err as Partial<PulseError>).kind === 'wasm_load_failed') return err as PulseError;
  const message = err instanceof Error ? err.message : String(err);
  return Object.assign(pulseError('wasm_load_failed', `opsmantik-pulse: could not load its WebAssembly module (${message})`), { cause: err });
}

/**
 * With `wasmHintInHead`: asks React (19: `ReactDOM.preload`; absent in 18, then nothing) for
 * `<link rel="preload" as="fetch">` to the wasm in the server-rendered head. Same URL,
 * `crossOrigin: 'anonymous'` (the same-origin credentials of `preloadWasm`'s fetch), so that
 * fetch takes the preloaded response instead of downloading again. Only during the server
 * render: in the browser the package's own fetch started when it was evaluated, and a link
 * React inserted now would be a second download of the same file.
 */
function preloadWasmHint(): void {
  if (typeof document !== 'undefined') return;
  const href = wasmPreloadHref();
  const preload = (ReactDOM as { preload?: (href: string, options: { as: string; crossOrigin?: string; type?: string }) => void }).preload;
  if (href !== null && typeof preload === 'function') preload(href, { as: 'fetch', crossOrigin: 'anonymous', type: 'application/wasm' });
}

function isRealtimeAdapter(value: unknown): value is RealtimeAdapter {
  return typeof value === 'object' && value !== null && typeof (value as { subscribe?: unknown }).subscribe === 'function';
}

/**
 * Opens the site's channel early unless another tab of this scope already leads (it talks for
 * every tab, so this tab will not subscribe): asks the page's Web Locks which locks are held.
 * Without Web Locks, or with `crossTab: false`, the tab runs alone and opens it.
 */
function preconnectUnlessLed(early: RealtimePreconnect, siteId: string, crossTab: unknown): void {
  // A bad site id opens nothing here: the hook's registration reports it once the engine runs.
  const open = () => {
    try {
      early.open(siteId);
    } catch {
      // reported by the registration
    }
  };
  const locks = (globalThis as { navigator?: { locks?: { query?: () => Promise<{ held?: { name?: string }[] }> } } }).navigator?.locks;
  if (crossTab === false || crossTab === null || typeof locks?.query !== 'function') return open();
  const scope = typeof crossTab === 'object' && typeof (crossTab as { scope?: unknown }).scope === 'string' ? (crossTab as { scope: string }).scope : DEFAULT_SCOPE;
  const leader = leaderLockName(scope);
  locks.query().then(
    (state) => {
      if (!state.held?.some((lock) => lock.name === leader)) open();
    },
    open,
  );
}

/**
 * Owns one engine for everything below it. Nothing starts during render but, with
 * `wasmHintInHead`, a server-side preload hint for the wasm (React's `preload`); the wasm is
 * instantiated and the driver starts in an effect, after hydration. A failed load is shown
 * to the hooks as `error` (kind `wasm_load_failed`, see `usePulseStatus`) and
 * retried with backoff.
 */
export function PulseProvider(props: PulseProviderProps) {
  const { children, snapshot = null, devtools = false, policy } = props;
  if (props.wasmHintInHead === true && props.init === undefined && props.driver === undefined) preloadWasmHint();
  const [driver, setDriver] = useState<PulseDriver | null>(null);
  const [loadError, setLoadError] = useState<PulseError | null>(null);
  // Made in render (no IO: only an object), so the hooks' effects, which run before this
  // component's, can open channels; the driver below uses it as its realtime adapter.
  const [early] = useState(() => (props.driver === undefined && isRealtimeAdapter(props.realtime) ? new RealtimePreconnect(props.realtime) : null));
  const preconnect = useMemo(() => (early ? (siteId: string) => preconnectUnlessLed(early, siteId, props.crossTab) : undefined), [early]);

  useEffect(() => {
    let cancelled = false;
    let created: PulseDriver | null = null;
    let uninstall: (() => void) | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const report = props.onError ?? ((e: unknown) => console.error('[opsmantik-pulse]', e));
    const timeZone = props.timeZone ?? snapshot?.timeZone;
    // The engine's zone must be there before the engine is made: the zone pack when it is
    // not built in (Europe/Istanbul and UTC are), fetched once.
    const load = async () => {
      await (props.init ?? initWasm)();
      if (timeZone !== undefined && needsZonePack(timeZone)) await loadZones();
    };

    const start = () => {
      let d = props.driver;
      if (!d) {
        if (!props.rpc || !props.overlay || !props.realtime) throw pulseError('invalid_argument', 'PulseProvider needs rpc, overlay and realtime adapters (or a driver)');
        d = created = new PulseDriver({
          ...props, rpc: props.rpc, overlay: props.overlay, realtime: early ?? props.realtime, timeZone: props.timeZone ?? snapshot?.timeZone, policy,
          dataAsOfMs: props.dataAsOfMs ?? snapshot?.nowMs,
        });
      }
      d.start();
      early?.engineStarted();
      if (devtools) uninstall = installDevtools(d, early);
      setLoadError(null);
      setDriver(d);
    };

    const attempt = () => {
      retryTimer = undefined;
      Promise.resolve()
        .then(load)
        .then(
          () => {
            if (cancelled) return;
            try {
              start();
            } catch (err) {
              report(err);
              setLoadError(asStartError(err));
            }
          },
          (err: unknown) => {
            if (cancelled) return;
            const error = asLoadError(err);
            if (failures === 0) report(error); // once, not once per retry
            setLoadError(error);
            const delay = Math.min(WASM_RETRY_MS.first * 2 ** failures, WASM_RETRY_MS.max);
            failures++;
            retryTimer = setTimeout(attempt, delay);
          },
        );
    };
    const onOnline = () => {
      if (retryTimer !== undefined) {
        clearTimeout(retryTimer);
        attempt();
      }
    };
    if (typeof window !== 'undefined') window.addEventListener('online', onOnline);
    attempt();
    return () => {
      cancelled = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
      uninstall?.();
      created?.dispose();
      early?.dispose();
      setDriver(null);
    };
    // The driver lives as long as the provider; adapter identity changes do not restart it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (driver && policy) driver.setPolicy(policy);
  }, [driver, policy]);

  // A new object every render would re-render every consumer on each provider render.
  const value = useMemo(() => ({ driver, snapshot, loadError, preconnect }), [driver, snapshot, loadError, preconnect]);
  return <PulseContext.Provider value={value}>{children}</PulseContext.Provider>;
}
