import { useEffect, useState, type ReactNode, useMemo } from 'react';
import { PulseDriver, type PulseDriverOptions } from '../driver.js';
import { installDevtools } from '../devtools.js';
import { pulseError } from '../errors.js';
import type { ServerSnapshot } from '../server-snapshot.js';
import type { MergePolicy, PulseError } from '../types.js';
import { init as initWasm } from '../wasm-init.js';
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
 * Owns one engine for everything below it. Nothing starts during render: the
 * wasm (already downloading since the package was imported) is instantiated
 * and the driver starts in an effect, after hydration. A failed load is shown
 * to the hooks as `error` (kind `wasm_load_failed`, see `usePulseStatus`) and
 * retried with backoff.
 */
export function PulseProvider(props: PulseProviderProps) {
  const { children, snapshot = null, devtools = false, policy } = props;
  const [driver, setDriver] = useState<PulseDriver | null>(null);
  const [loadError, setLoadError] = useState<PulseError | null>(null);

  useEffect(() => {
    let cancelled = false;
    let created: PulseDriver | null = null;
    let uninstall: (() => void) | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const report = props.onError ?? ((e: unknown) => console.error('[opsmantik-pulse]', e));
    const load = props.init ?? (() => initWasm());

    const start = () => {
      let d = props.driver;
      if (!d) {
        if (!props.rpc || !props.overlay || !props.realtime) throw pulseError('invalid_argument', 'PulseProvider needs rpc, overlay and realtime adapters (or a driver)');
        d = created = new PulseDriver({
          ...props, rpc: props.rpc, overlay: props.overlay, realtime: props.realtime, timeZone: props.timeZone ?? snapshot?.timeZone, policy,
          dataAsOfMs: props.dataAsOfMs ?? snapshot?.nowMs,
        });
      }
      d.start();
      if (devtools) uninstall = installDevtools(d);
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
      setDriver(null);
    };
    // The driver lives as long as the provider; adapter identity changes do not restart it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (driver && policy) driver.setPolicy(policy);
  }, [driver, policy]);

  // A new object every render would re-render every consumer on each provider render.
  const value = useMemo(() => ({ driver, snapshot, loadError }), [driver, snapshot, loadError]);
  return <PulseContext.Provider value={value}>{children}</PulseContext.Provider>;
}
