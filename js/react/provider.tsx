import { useEffect, useState, type ReactNode } from 'react';
import initWasm from '../../pkg/opsmantik_pulse.js';
import { PulseDriver, type PulseDriverOptions } from '../driver.js';
import { installDevtools } from '../devtools.js';
import type { ServerSnapshot } from '../server-snapshot.js';
import type { MergePolicy } from '../types.js';
import { PulseContext } from './context.js';

export interface PulseProviderProps extends Partial<Omit<PulseDriverOptions, 'policy'>> {
  children?: ReactNode;
  /** From `createServerSnapshot` on the server: the hooks' first render reads only this. */
  snapshot?: ServerSnapshot | null;
  policy?: MergePolicy;
  /** Expose the engine as `window.__PULSE__` (snapshot(), counters(), log()). */
  devtools?: boolean;
  /** Use this driver instead of creating one (tests, or several providers sharing one). */
  driver?: PulseDriver;
  /** Loads the wasm (default: the package's `init()`; idempotent). */
  init?: () => Promise<unknown>;
}

/**
 * Owns one engine for everything below it. Nothing starts during render: the
 * wasm loads and the driver starts in an effect, after hydration.
 */
export function PulseProvider(props: PulseProviderProps) {
  const { children, snapshot = null, devtools = false, policy } = props;
  const [driver, setDriver] = useState<PulseDriver | null>(null);

  useEffect(() => {
    let cancelled = false;
    let created: PulseDriver | null = null;
    let uninstall: (() => void) | undefined;
    const load = props.init ?? (() => initWasm());
    Promise.resolve()
      .then(load)
      .then(() => {
        if (cancelled) return;
        let d = props.driver;
        if (!d) {
          if (!props.rpc || !props.overlay || !props.realtime) throw new Error('PulseProvider needs rpc, overlay and realtime adapters (or a driver)');
          d = created = new PulseDriver({
            ...props, rpc: props.rpc, overlay: props.overlay, realtime: props.realtime, timeZone: props.timeZone ?? snapshot?.timeZone, policy,
            dataAsOfMs: props.dataAsOfMs ?? snapshot?.nowMs,
          });
        }
        d.start();
        if (devtools) uninstall = installDevtools(d);
        setDriver(d);
      })
      .catch((err: unknown) => (props.onError ?? ((e: unknown) => console.error('[opsmantik-pulse]', e)))(err));
    return () => {
      cancelled = true;
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

  return <PulseContext.Provider value={{ driver, snapshot }}>{children}</PulseContext.Provider>;
}
