import { createContext, useContext } from 'react';
import type { PulseDriver } from '../driver.js';
import type { ServerSnapshot } from '../server-snapshot.js';

export interface PulseContextValue {
  /** Null until mounted and the wasm is loaded: hooks render the server snapshot meanwhile. */
  driver: PulseDriver | null;
  snapshot: ServerSnapshot | null;
}

export const PulseContext = createContext<PulseContextValue>({ driver: null, snapshot: null });

export function usePulseContext(): PulseContextValue {
  return useContext(PulseContext);
}
