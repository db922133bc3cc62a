// A flag source devtools can override ("simulate hidden", "simulate offline"):
// the driver wraps its visibility and online sources in one, so a simulation
// reaches the engine, the timeline and the cross-tab link exactly as the real
// change would, and ending it hands control back to the browser's own value.
import type { FlagSource } from './sources.js';

export interface SimulatedFlag extends FlagSource {
  /** `false` pretends the flag is off (hidden, offline); null follows the source again. */
  force(value: boolean | null): void;
  forced(): boolean | null;
}

export function simulatedFlag(base: FlagSource): SimulatedFlag {
  let forced: boolean | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => forced ?? base.get(),
    forced: () => forced,
    force(value) {
      if (value === forced) return;
      const before = forced ?? base.get();
      forced = value;
      if ((forced ?? base.get()) !== before) for (const l of [...listeners]) l();
    },
    subscribe(onChange) {
      listeners.add(onChange);
      // While forced, the source's own changes do not move the value, and the
      // listener reads get() anyway, so passing them through is harmless.
      const detach = base.subscribe(onChange);
      return () => {
        listeners.delete(onChange);
        if (typeof detach === 'function') detach();
      };
    },
  };
}
