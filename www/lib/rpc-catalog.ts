// The RPCs the demo answers: each one's parameters in call order and what each
// accepts. A Map, not an object literal: a name from the URL such as
// `__proto__` or `toString` must not find anything inherited.
import { boolean, integer, isoInstant, nullable, siteId, token, type Field } from './validate';

const site: Field = { name: 'p_site_id', check: siteId };
const from: Field = { name: 'p_date_from', check: isoInstant };
const to: Field = { name: 'p_date_to', check: isoInstant };
const adsOnly: Field = { name: 'p_ads_only', check: boolean };
// 500: the engine's catch-up replay after a realtime gap asks for up to 500 rows
// (REPLAY_LIMIT); a lower cap here answered it 22023 and the gap's calls were lost.
const limit: Field = { name: 'p_limit', check: integer(1, 500) };

export const RPCS: ReadonlyMap<string, readonly Field[]> = new Map([
  ['get_command_center_p0_stats_v2', [site, from, to, adsOnly]],
  ['get_recent_intents_v2', [site, from, to, limit, adsOnly]],
  [
    'get_recent_intents_v1',
    [site, { name: 'p_since', check: nullable(isoInstant) }, { name: 'p_minutes_lookback', check: integer(1, 1440) }, limit, adsOnly],
  ],
  ['get_session_details', [site, { name: 'p_session_id', check: token(128) }]],
]);
