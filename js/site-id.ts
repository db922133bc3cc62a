// A site id as the engine spells it (src/site_id.rs): a UUID in lower case,
// as Postgres prints `uuid` columns, any other id as it is. The early
// channel (realtime-preconnect.ts) opens before the wasm is there, so it
// names the channel from the same generated facts instead of asking the core.
import { UUID_DASH_AT, UUID_LENGTH } from './generated/core-facts.js';

const DASHES: readonly number[] = UUID_DASH_AT;
const HEX = /^[0-9a-fA-F]$/;

function isUuid(id: string): boolean {
  if (id.length !== UUID_LENGTH) return false;
  for (let i = 0; i < id.length; i++) {
    const c = id.charAt(i);
    if (DASHES.includes(i) ? c !== '-' : !HEX.test(c)) return false;
  }
  return true;
}

/** `siteId` as the engine spells it: a UUID in lower case, anything else unchanged. */
export function canonicalSiteId(siteId: string): string {
  return isUuid(siteId) ? siteId.toLowerCase() : siteId;
}
