// The plain-JS baseline (realtime-js.mjs) with its session lookups made the
// way a dashboard must make them: through the same async `rpc` adapter the
// driver is given (`get_session_details`), answers kept in an LRU of the
// engine's size (500), concurrent asks for one session sharing one request.
// Everything else is JsRealtime's (the bench compares the callbacks fired; the state
// fields of an event waiting for its answer are set early). A diagnostic beside the baseline:
// it says how much of the gap is the async lookups themselves.
import { JsRealtime } from './realtime-js.mjs';

const CACHE = 500;

export class JsRealtimeAsyncLookups extends JsRealtime {
  constructor(siteId, { rpc }) {
    // JsRealtime asks `sessionHasRows` synchronously: it reads the decision this class made.
    const decision = { rows: false };
    super(siteId, { sessionHasRows: () => decision.rows });
    this.decision = decision;
    this.rpc = rpc;
    this.cache = new Map(); // session → has rows, oldest first
    this.inFlight = new Map(); // session → events waiting for its answer
  }

  handlePayload(p, nowMs) {
    const session = p?.table === 'events' && p.new && typeof p.new === 'object' && typeof p.new.session_id === 'string' ? p.new.session_id.trim() : '';
    if (session === '') return super.handlePayload(p, nowMs);
    const known = this.cache.get(session);
    if (known !== undefined) {
      this.cache.delete(session);
      this.cache.set(session, known);
      this.decision.rows = known;
      return super.handlePayload(p, nowMs);
    }
    // Not known: the rules up to the lookup run now (dedup, site), the rest when the answer comes.
    this.decision.rows = true;
    const before = this.outputs.length;
    const dropped = super.handlePayload(p, nowMs);
    if (dropped !== null) return dropped;
    const decided = this.outputs.splice(before); // held until the answer
    const s = this.state;
    s.eventCount--; // counted again if the answer says it is the site's
    const waiting = this.inFlight.get(session);
    if (waiting) {
      waiting.push(decided);
      return null;
    }
    this.inFlight.set(session, [decided]);
    this.rpc('get_session_details', { p_site_id: this.siteId, p_session_id: session }).then(({ data }) => {
      const rows = Array.isArray(data) && data.length > 0;
      this.cache.set(session, rows);
      if (this.cache.size > CACHE) this.cache.delete(this.cache.keys().next().value);
      for (const outputs of this.inFlight.get(session) ?? []) {
        if (!rows) {
          this.dropped.non_ads++;
          continue;
        }
        s.eventCount++;
        this.outputs.push(...outputs);
      }
      this.inFlight.delete(session);
    });
    return null;
  }
}
