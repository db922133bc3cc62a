// The driver's `crossTab` option: on by default in a browser page that has
// both `navigator.locks` and `BroadcastChannel`; `false` opts out; an object
// sets the scope (tabs of one origin that must not share, e.g. two signed-in
// users' dashboards) or passes another environment (tests, the benchmark).
// Anything else runs the tab alone, as before.
import { objectFields, optionalStringArg } from '../args.js';
import type { OverlayAdapter, RealtimeAdapter, RpcAdapter } from '../adapters/types.js';
import type { Clock, FlagSource } from '../sources.js';
import { browserEnvironment, type CrossTabEnvironment } from './environment.js';
import { CrossTabLink } from './link.js';

export interface CrossTabOptions {
  /** Tabs share only with tabs of the same scope (default 'default'). */
  scope?: string;
  /** Locks and channels to use (default: the page's `navigator.locks` and `BroadcastChannel`). */
  environment?: CrossTabEnvironment;
  /** This tab's id in messages and devtools (default: random). */
  tabId?: string;
}

export type CrossTabOption = boolean | CrossTabOptions | undefined;

interface DriverParts {
  rpc: RpcAdapter;
  overlay: OverlayAdapter;
  realtime: RealtimeAdapter;
  clock: Clock;
  visibility: FlagSource;
  onError: (error: unknown) => void;
}

/** The link the driver runs its IO through, or undefined to run alone. */
export function attachCrossTab(option: unknown, parts: DriverParts): CrossTabLink | undefined {
  if (option === false || option === null) return undefined;
  const o: Partial<Record<'scope' | 'environment' | 'tabId', unknown>> =
    option === undefined || option === true ? {} : objectFields('options.crossTab', option, ['scope', 'environment', 'tabId']);
  // Only a page has tabs: Node and jsdom (no Web Locks) run alone whatever globals they grow.
  const environment = (o.environment as CrossTabEnvironment | undefined) ?? (typeof document === 'undefined' ? undefined : browserEnvironment());
  if (!environment) return undefined;
  return new CrossTabLink({
    environment,
    adapters: { rpc: parts.rpc, overlay: parts.overlay, realtime: parts.realtime },
    clock: parts.clock,
    visibility: parts.visibility,
    onError: parts.onError,
    scope: optionalStringArg('options.crossTab.scope', o.scope),
    tabId: optionalStringArg('options.crossTab.tabId', o.tabId),
  });
}
