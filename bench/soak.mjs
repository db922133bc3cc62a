// npm run soak — 1,000,000 realtime payloads (10% duplicates, 1% another
// site's, a random ads mix) through PulseEngine in Node, with an all-traffic
// and an ads-only registration (session lookups answered at once). Checks:
// wasm memory growth after warm-up under 1 MiB; the engine's counters agree
// with an independent JS implementation of the same rules.
// Then two more phases, each with memory flat after warm-up:
//   undrained  payloads into an engine whose driver never drains: the command
//              queue stays bounded and every dropped command is counted;
//   churn      register/unregister cycles with lookups in flight: every held
//              row is released, counters add up and never go down.
// `--count N` changes the number of payloads.
import { PulseEngine, wasmMemoryBytes } from 'opsmantik-pulse/node';
import { JsRealtime } from './baselines/realtime-js.mjs';
import { SITE, payloadStream, sessionHasRows } from './payloads.mjs';

const argCount = process.argv.indexOf('--count');
const N = argCount > 0 ? Number(process.argv[argCount + 1]) : 1_000_000;
const WARMUP = Math.min(100_000, Math.floor(N / 10));

export function soak(count = N) {
  const engine = new PulseEngine({ seed: 9 });
  let now = Date.UTC(2026, 1, 2, 9);
  const all = engine.registerRealtime(SITE, false, true, now);
  const ads = engine.registerRealtime(SITE, true, true, now);
  const reference = new JsRealtime(SITE, { sessionHasRows });
  let notifies = 0, lookups = 0, releases = 0, retained = 0, seq = 0;
  let memAfterWarmup = 0;
  const drain = () => {
    // Answers create commands of their own (notify, release): drain until none are left.
    for (let cmds = engine.drainCommands(); cmds.length > 0; cmds = engine.drainCommands()) for (const c of cmds) {
      if (c.type === 'notify') notifies++;
      else if (c.type === 'release') releases++;
      else if (c.type === 'subscribe') engine.handleChannelStatus(SITE, 'SUBSCRIBED', undefined, now);
      else if (c.type === 'rpc') {
        if (c.kind === 'lookup') lookups++;
        engine.handleRpcResponse(c.requestId, { data: c.kind === 'lookup' && sessionHasRows(c.params.p_session_id) ? [{ id: 1 }] : [] }, now);
      } else if (c.type === 'fetch_overlay') engine.handleOverlayResponse(c.requestId, { body: '{"captured":0,"gclid":0,"junk":0}' }, now);
    }
  };
  drain();
  const t0 = process.hrtime.bigint();
  for (const p of payloadStream(count, { seed: 11 })) {
    now += 3;
    seq++;
    if (engine.handlePayload(SITE, JSON.stringify(p), seq, now)) retained++;
    reference.handlePayload(p, now);
    reference.drainOutputs();
    drain();
    if (seq % 50_000 === 0) engine.handleTimeout(now);
    if (seq === WARMUP) memAfterWarmup = wasmMemoryBytes();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const memEnd = wasmMemoryBytes();
  const debug = engine.debug();
  const pipelines = Object.fromEntries(debug.sites[0].pipelines.map((p) => [p.adsOnly ? 'adsOnly' : 'all', p]));
  const counters = engine.counters();
  const snapAll = engine.snapshot(all);
  const result = {
    payloads: count, seconds: Math.round(seconds * 10) / 10,
    memory: { afterWarmupBytes: memAfterWarmup, endBytes: memEnd, growthBytes: memEnd - memAfterWarmup },
    all: { eventCount: snapAll.eventCount, drops: pipelines.all.drops, sizes: pipelines.all.sizes },
    adsOnly: { eventCount: engine.snapshot(ads).eventCount, drops: pipelines.adsOnly.drops, sizes: pipelines.adsOnly.sizes },
    reference: { accepted: reference.state.eventCount, duplicate: reference.dropped.duplicate, crossSite: reference.dropped.cross_site },
    commands: { notifies, lookups, releases, retained, heldAtEnd: engine.debug().retainedRows },
    counters: { requests: counters.requests, droppedResponses: counters.dropped.responses },
  };
  const checks = {
    memoryGrowthUnder1MiB: result.memory.growthBytes < 1 << 20,
    acceptedMatchesReference: result.all.eventCount === result.reference.accepted,
    duplicatesMatchReference: result.all.drops.duplicate === result.reference.duplicate,
    crossSiteMatchesReference: result.all.drops.cross_site === result.reference.crossSite,
    everyPayloadAccountedFor: result.all.eventCount + Object.values(result.all.drops).reduce((a, b) => a + b, 0) === count,
    adsOnlyAccountedFor: result.adsOnly.sizes.pendingLookups === 0 && releases === retained,
    boundedStructures: result.all.sizes.dedup <= result.all.sizes.dedupCapacity && result.adsOnly.sizes.cache <= result.adsOnly.sizes.cacheCapacity,
  };
  engine.free();
  return { result, checks };
}

/** A driver that stopped draining: the queue is bounded, drops are counted, memory stays flat. */
export function undrained(count = N / 5) {
  const engine = new PulseEngine({ seed: 5 });
  const now = Date.UTC(2026, 1, 2, 9);
  engine.registerRealtime(SITE, false, true, now);
  const warmup = Math.floor(count / 5);
  let memAfterWarmup = 0, seq = 0;
  for (const p of payloadStream(count, { seed: 13 })) {
    engine.handlePayload(SITE, JSON.stringify(p), ++seq, now);
    if (seq === warmup) memAfterWarmup = wasmMemoryBytes();
  }
  const counters = engine.counters();
  const queued = engine.queuedCommands();
  const dropped = Object.values(counters.dropped.commands).reduce((a, b) => a + b, 0);
  const result = { payloads: count, queued, droppedCommands: counters.dropped.commands, growthBytes: wasmMemoryBytes() - memAfterWarmup };
  const checks = {
    queueBounded: queued <= 8_192,
    everyCommandQueuedOrCounted: counters.commands === queued + dropped,
    payloadsAddUp: counters.payloads.received === counters.payloads.accepted + Object.values(counters.payloads.dropped).reduce((a, b) => a + b, 0) + counters.payloads.pending,
    memoryGrowthUnder1MiB: result.growthBytes < 1 << 20,
  };
  engine.free();
  return { result, checks };
}

/** Hooks mounting and unmounting with lookups in flight: nothing is held forever, nothing leaks. */
export function churn(cycles = N / 50) {
  const engine = new PulseEngine({ seed: 6 });
  let now = Date.UTC(2026, 1, 2, 9);
  const held = new Set();
  let memAfterWarmup = 0, seq = 0, last = 0, monotonic = true;
  const drain = () => { for (const c of engine.drainCommands()) if (c.type === 'release') held.delete(c.seq); };
  for (let cycle = 1; cycle <= cycles; cycle++) {
    now += 1_000;
    const rt = engine.registerRealtime(SITE, true, true, now);
    const stats = engine.registerStats(SITE, 'today', true, now);
    const label = engine.registerRelativeTime(now - 5_000, now);
    for (let i = 0; i < 5; i++) {
      seq++;
      const p = { table: 'calls', eventType: 'INSERT', commit_timestamp: `c${seq}`, new: { id: seq, site_id: SITE, matched_session_id: `s${seq}` } };
      if (engine.handlePayload(SITE, JSON.stringify(p), seq, now)) held.add(seq);
    }
    drain();
    for (const h of [rt, stats, label]) engine.unregister(h, now);
    drain();
    const received = engine.counters().payloads.received;
    monotonic &&= received >= last;
    last = received;
    if (cycle === Math.floor(cycles / 5)) memAfterWarmup = wasmMemoryBytes();
  }
  const counters = engine.counters();
  const result = { cycles, heldAtEnd: held.size, retainedRows: engine.debug().retainedRows, payloads: counters.payloads, growthBytes: wasmMemoryBytes() - memAfterWarmup };
  const checks = {
    everyRowReleased: held.size === 0 && result.retainedRows === 0,
    countersNeverWentDown: monotonic && counters.payloads.received === seq,
    payloadsAddUp: counters.payloads.received === counters.payloads.accepted + Object.values(counters.payloads.dropped).reduce((a, b) => a + b, 0) + counters.payloads.pending,
    memoryGrowthUnder1MiB: result.growthBytes < 1 << 20,
  };
  engine.free();
  return { result, checks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [name, phase] of [['undrained', undrained], ['churn', churn]]) {
    const { result, checks } = phase();
    console.log(name, JSON.stringify(result));
    console.log(`${name} checks:`, JSON.stringify(checks));
    if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
  }
  const { result, checks } = soak();
  console.log(JSON.stringify(result, null, 2));
  console.log('checks:', JSON.stringify(checks));
  if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
}
