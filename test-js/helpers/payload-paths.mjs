// Feeds payloads through the engine by one path or the other (objects read
// into the core's slots, or JSON text) so tests can check both decide and
// count alike. Shared by realtime.test.mjs (fixed cases) and
// payload-props.test.mjs (generated ones).
import { PulseEngine } from 'opsmantik-pulse/node';

/** The text a non-object payload crosses as (what the driver hands the core; see adapter-answers.ts). */
export function asText(payload) {
  if (typeof payload === 'string') return payload;
  try {
    const text = typeof payload === 'object' && payload !== null ? JSON.stringify(payload) : undefined;
    if (typeof text === 'string') return text;
  } catch {}
  return '"not a payload"';
}

/**
 * Feeds `payloads` through one engine (all-traffic and ads-only registered
 * for `site`) by objects (`viaObjects`, falling back to text as the driver
 * does) or by text alone; returns what it saw. Session lookups are answered
 * "the site's" when the session id ends in 7.
 */
export function runPayloads(site, t0, payloads, viaObjects) {
  const e = new PulseEngine({ seed: 9 });
  const handles = [e.registerRealtime(site, false, true, t0), e.registerRealtime(site, true, true, t0)];
  e.handleChannelStatus(site, 'SUBSCRIBED', undefined, t0);
  e.drainCommands();
  let slots = 0;
  const outcomes = [];
  payloads.forEach((p, i) => {
    const seq = i + 1;
    let retained;
    const packed = viaObjects ? e.handlePayloadObject(site, p, seq, t0 + seq) : undefined;
    if (packed === undefined) retained = e.handlePayload(site, asText(p), seq, t0 + seq);
    else { slots++; retained = (packed & 1) === 1; }
    const commands = e.drainCommands();
    for (const c of commands) {
      if (c.type === 'rpc' && c.kind === 'lookup') e.handleRpcResponse(c.requestId, { data: c.params.p_session_id.endsWith('7') ? [{ id: 1 }] : [] }, t0 + seq);
    }
    outcomes.push({ retained, commands: [...commands, ...e.drainCommands()].map((c) => [c.type, c.kind ?? null, c.seq ?? null, c.rowId ?? null]) });
  });
  const result = { outcomes, counters: e.counters().payloads, snapshots: handles.map((h) => e.snapshot(h)), slots };
  e.free();
  return result;
}
