// The page's visibility and network flags as the engine sees them: the
// browser's own state, unless devtools forces a value ("simulate hidden",
// "simulate offline"). Forcing goes through the same source the driver
// listens to, so the engine reacts exactly as it would to the real thing.
import type { FlagSource } from 'opsmantik-pulse/react';

export interface OverridableFlag extends FlagSource {
  /** The browser's own value, whatever is forced. */
  real(): boolean;
  /** null follows the browser again. */
  force(value: boolean | null): void;
  forced(): boolean | null;
}

/** A flag read from the DOM; touches globals only when read or subscribed (after mount). */
function domFlag(read: () => boolean, target: () => EventTarget | null, events: string[]): FlagSource {
  return {
    get: () => (typeof window === 'undefined' ? true : read()),
    subscribe(onChange) {
      const t = typeof window === 'undefined' ? null : target();
      if (!t) return () => {};
      for (const e of events) t.addEventListener(e, onChange);
      return () => events.forEach((e) => t.removeEventListener(e, onChange));
    },
  };
}

export function overridableFlag(base: FlagSource): OverridableFlag {
  let forced: boolean | null = null;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  return {
    get: () => forced ?? base.get(),
    real: () => base.get(),
    forced: () => forced,
    force(value) {
      if (value === forced) return;
      forced = value;
      notify();
    },
    subscribe(onChange) {
      listeners.add(onChange);
      const detach = base.subscribe(onChange);
      return () => {
        listeners.delete(onChange);
        detach();
      };
    },
  };
}

/** One pair per page: the provider's driver and the devtools controls share them. */
export const pageVisibility = overridableFlag(domFlag(() => document.visibilityState !== 'hidden', () => document, ['visibilitychange']));
export const pageOnline = overridableFlag(domFlag(() => navigator.onLine !== false, () => window, ['online', 'offline']));
