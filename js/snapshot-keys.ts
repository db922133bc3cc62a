// Keys shared by the server snapshot and the hooks (no wasm needed).
import { boolArg, stringArg } from './args.js';

/** The key of a "today" stats snapshot in `ServerSnapshot.stats`. */
export function statsSeedKey(siteId: string, adsOnly: boolean): string {
  return `${stringArg('siteId', siteId)}|today|${boolArg('adsOnly', adsOnly) ? 'ads' : 'all'}`;
}
