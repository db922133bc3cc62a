// Injectable sources of time, timers, visibility and connectivity. The
// defaults touch browser globals only when a driver starts (after mount),
// never at import or during render; tests swap any of them.
import { boolArg, delayArg, functionArg, readMessage } from './args.js';
import { pulseError } from './errors.js';

export interface Clock {
  now(): number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** A boolean that changes: tab visibility, or being online. */
export interface FlagSource {
  get(): boolean;
  subscribe(onChange: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(functionArg<() => void>('fn', fn), delayArg('ms', ms)),
  clearTimeout: (id) => {
    try {
      globalThis.clearTimeout(id as ReturnType<typeof setTimeout>);
    } catch (err) {
      // Node reads fields of an object id; a hostile one throws from there.
      throw pulseError('invalid_argument', `id is not a timer id: ${readMessage(err) ?? 'it could not be read'}`);
    }
  },
};

/** `document.visibilityState === 'visible'`; always visible where there is no document. */
export const documentVisibility: FlagSource = {
  get: () => typeof document === 'undefined' || document.visibilityState !== 'hidden',
  subscribe(onChange) {
    if (typeof document === 'undefined') return () => {};
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  },
};

/** `navigator.onLine` with the `online`/`offline` events; always online where there is no window. */
export const browserOnline: FlagSource = {
  get: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  subscribe(onChange) {
    if (typeof window === 'undefined') return () => {};
    window.addEventListener('online', onChange);
    window.addEventListener('offline', onChange);
    return () => {
      window.removeEventListener('online', onChange);
      window.removeEventListener('offline', onChange);
    };
  },
};

/** A flag you set by hand (tests, or a host that knows better). */
export function manualFlag(initial: boolean): FlagSource & { set(value: boolean): void } {
  let value = boolArg('initial', initial);
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next) {
      if (boolArg('value', next) === value) return;
      value = next;
      for (const l of listeners) l();
    },
    subscribe(onChange) {
      listeners.add(functionArg('onChange', onChange));
      return () => listeners.delete(onChange);
    },
  };
}
