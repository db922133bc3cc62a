// A flag source as React state. The server snapshot is `true` (visible,
// online): that is what the server rendered, so hydration agrees.
import { useSyncExternalStore } from 'react';
import type { FlagSource } from 'opsmantik-pulse/react';

export function useFlag(flag: FlagSource): boolean {
  return useSyncExternalStore((cb) => flag.subscribe(cb), () => flag.get(), () => true);
}
