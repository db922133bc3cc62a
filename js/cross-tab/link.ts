// One tab's end of cross-tab coordination. The driver keeps its own engine
// (snapshots, callbacks and devtools stay local) and runs its commands
// through the three adapters this link hands it:
//
// - leader (holds the Web Lock): requests go to the real adapters through
//   SharedRequests (one call for every tab asking the same thing); one real
//   channel per site while any tab wants it; each row and status goes to this
//   tab's engine and is broadcast once to the others.
// - follower: requests are sent to the leader and resolve with its answer;
//   a channel is an interest registered with the leader, fed by its broadcasts.
//
// Leadership: every tab queues for the leader lock; the browser grants it to
// the next waiter when the leader's tab closes or crashes. The new leader
// announces itself; every tab's engine then sees its channel fail (the gap
// opens) and come back SUBSCRIBED once the new leader's real channel does,
// so each engine runs its own gap-free catch-up from the last instant it had
// seen. A hidden leader with a visible peer asks that peer to steal the lock.
// Nobody's engine sends while hidden, so with every tab hidden nothing goes out.
import { readMessage as readErrorMessage } from '../args.js';
import { MAX_PAYLOAD_BYTES, exceedsUtf8 } from '../limits.js';
import type { Clock, FlagSource } from '../sources.js';
import type { OverlayAdapter, RealtimeAdapter, RealtimeHandlers, RpcAdapter } from '../adapters/types.js';
import type { RequestKind } from '../types.js';
import type { ChannelLike, CrossTabEnvironment } from './environment.js';
import { channelName, DEFAULT_SCOPE, leaderLockName, tabLockName } from './names.js';
import { DROP_REASONS, envelope, readMessage, type CrossTabDropReason, type Message, type WireAnswer } from './protocol.js';
import { SharedRequests, requestKey, requestKind, type Answer } from './shared-requests.js';

export type CrossTabRole = 'starting' | 'leader' | 'follower' | 'closed';

export interface CrossTabLinkOptions {
  environment: CrossTabEnvironment;
  adapters: { rpc: RpcAdapter; overlay: OverlayAdapter; realtime: RealtimeAdapter };
  clock: Clock;
  visibility: FlagSource;
  onError: (error: unknown) => void;
  /** Separates groups of tabs on one origin (default 'default'). */
  scope?: string;
  /** This tab's id (default: random). */
  tabId?: string;
}

export interface CrossTabInfo {
  tabId: string;
  role: CrossTabRole;
  leader: string | null;
  peers: Array<{ tabId: string; visible: boolean }>;
  /** Messages by type, and dropped ones by reason. */
  messages: { sent: Record<string, number>; received: Record<string, number>; dropped: Record<CrossTabDropReason, number> };
  /** Leader only: calls made, joined in flight, answered from a kept answer. */
  shared: { calls: number; joined: number; reused: number };
  /** Channels this tab holds for real (leader) and sites its engine listens to. */
  realChannels: string[];
  localChannels: string[];
  /** Recent role changes and messages, newest last. */
  log: Array<{ atMs: number; what: string }>;
}

interface LocalChannel {
  handlers: RealtimeHandlers;
  channel: string;
  /** The last status this tab's engine was given (the gap opens only after a SUBSCRIBED). */
  status?: string;
}

interface RealChannel {
  close?: () => void;
  status?: string;
  message?: string;
  channel: string;
}

interface PendingRequest {
  message: Extract<Message, { t: 'req' }>;
  settle: (answer: WireAnswer) => void;
}

const LOG_LIMIT = 100;
const LEADER_CHANGED = 'leader tab changed';
const ERROR_STATUSES = new Set(['CHANNEL_ERROR', 'TIMED_OUT', 'CLOSED', 'ERROR']);

const newTabId = () => `${Math.floor(Math.random() * 2 ** 48).toString(36)}${Math.floor(Math.random() * 2 ** 48).toString(36)}`;

export class CrossTabLink {
  readonly rpc: RpcAdapter;
  readonly overlay: OverlayAdapter;
  readonly realtime: RealtimeAdapter;
  readonly tabId: string;
  readonly #env: CrossTabEnvironment;
  readonly #real: CrossTabLinkOptions['adapters'];
  readonly #clock: Clock;
  readonly #visibility: FlagSource;
  readonly #onError: (error: unknown) => void;
  readonly #scope: string;
  #role: CrossTabRole = 'starting';
  #leader: string | undefined;
  #channel: ChannelLike | undefined;
  readonly #peers = new Map<string, { visible: boolean }>();
  readonly #local = new Map<string, LocalChannel>();
  // Leader state.
  readonly #interest = new Map<string, Set<string>>();
  readonly #open = new Map<string, RealChannel>();
  #shared = new SharedRequests();
  #leaderScope: AbortController | undefined;
  #handoverTo: string | undefined;
  // Follower state.
  readonly #pending = new Map<number, PendingRequest>();
  #nextId = 0;
  #freshNext = false;
  // Locks.
  #releaseTab: (() => void) | undefined;
  #releaseLeader: (() => void) | undefined;
  #queue: AbortController | undefined;
  #detachVisibility: (() => void) | undefined;
  readonly #sent: Record<string, number> = {};
  readonly #received: Record<string, number> = {};
  readonly #dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<CrossTabDropReason, number>;
  readonly #log: Array<{ atMs: number; what: string }> = [];

  constructor(options: CrossTabLinkOptions) {
    this.#env = options.environment;
    this.#real = options.adapters;
    this.#clock = options.clock;
    this.#visibility = options.visibility;
    this.#onError = options.onError;
    this.#scope = options.scope ?? DEFAULT_SCOPE;
    this.tabId = options.tabId ?? newTabId();
    this.rpc = { rpc: (name, params, options) => this.#rpc(name, params, options?.signal) };
    this.overlay = { fetchOverlay: (site, options) => this.#fetchOverlay(site, options?.signal) };
    this.realtime = { subscribe: (site, channel, handlers) => this.#subscribe(site, channel, handlers) };
  }

  get role(): CrossTabRole {
    return this.#role;
  }

  /** Joins the tabs: holds this tab's lock for its life, then queues for leadership. */
  start(): void {
    if (this.#channel || this.#role === 'closed') return;
    const channel = this.#env.openChannel(channelName(this.#scope));
    this.#channel = channel;
    channel.onmessage = (event) => this.#safely(() => this.#onMessage(event?.data));
    const held = new Promise<void>((resolve) => (this.#releaseTab = resolve));
    this.#lock(tabLockName(this.#scope, this.tabId), {}, () => {
      if (this.#role === 'closed') return undefined;
      // Peers watch this lock to learn that the tab is gone; only now may they see us.
      this.#note('joined');
      this.#send({ t: 'hello', from: this.tabId, visible: this.#visible() });
      this.#queueForLeader();
      return held;
    });
    const detach = this.#visibility.subscribe(() => this.#safely(() => this.#onVisibility()));
    if (typeof detach === 'function') this.#detachVisibility = detach;
  }

  /** The next stats request is a refetch: it bypasses answers the leader keeps. */
  freshNext(): void {
    this.#freshNext = true;
  }

  dispose(): void {
    if (this.#role === 'closed') return;
    const wasLeader = this.#role === 'leader';
    this.#role = 'closed';
    this.#note('closed');
    if (wasLeader) this.#closeRealChannels();
    this.#leaderScope?.abort();
    this.#queue?.abort();
    this.#releaseLeader?.();
    this.#releaseTab?.();
    this.#detachVisibility?.();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.settle({ ok: false, message: 'the page closed' });
    this.#local.clear();
    const channel = this.#channel;
    this.#channel = undefined;
    if (channel) this.#safely(() => channel.close());
  }

  info(): CrossTabInfo {
    return {
      tabId: this.tabId,
      role: this.#role,
      leader: this.#leader ?? null,
      peers: [...this.#peers].map(([tabId, p]) => ({ tabId, visible: p.visible })),
      messages: { sent: { ...this.#sent }, received: { ...this.#received }, dropped: { ...this.#dropped } },
      shared: { ...this.#shared.counts },
      realChannels: [...this.#open.keys()],
      localChannels: [...this.#local.keys()],
      log: this.#log.slice(),
    };
  }

  // ---- leadership ---------------------------------------------------------

  #queueForLeader(): void {
    if (this.#role === 'closed') return;
    this.#queue?.abort();
    const queue = new AbortController();
    this.#queue = queue;
    this.#lock(leaderLockName(this.#scope), { signal: queue.signal }, () => this.#hold(queue));
  }

  /** A visible follower asked to lead takes the lock from the hidden leader. */
  #steal(): void {
    this.#queue?.abort();
    const queue = new AbortController();
    this.#queue = queue;
    this.#note('stealing leadership');
    this.#lock(leaderLockName(this.#scope), { steal: true }, () => this.#hold(queue));
  }

  #hold(queue: AbortController): Promise<void> | undefined {
    if (this.#role === 'closed' || queue !== this.#queue) return undefined;
    const held = new Promise<void>((resolve) => (this.#releaseLeader = resolve));
    this.#becomeLeader();
    return held;
  }

  /** Requests a lock; a rejection (stolen, aborted) ends leadership if this request held it. */
  #lock(name: string, options: { steal?: boolean; signal?: AbortSignal }, granted: () => unknown): void {
    let request: Promise<unknown>;
    try {
      request = this.#env.locks.request(name, options, () => this.#guard(granted));
    } catch (err) {
      this.#report(err);
      return;
    }
    Promise.resolve(request).catch((err: unknown) => {
      if ((err as { name?: unknown } | null)?.name !== 'AbortError') this.#report(err);
      // Our leader lock was stolen: a visible tab leads now.
      if (name === leaderLockName(this.#scope) && this.#role === 'leader' && !options.signal?.aborted) this.#safely(() => this.#demote());
    });
  }

  #becomeLeader(): void {
    const previous = this.#leader;
    this.#role = 'leader';
    this.#leader = this.tabId;
    this.#handoverTo = undefined;
    this.#shared = new SharedRequests();
    this.#leaderScope = new AbortController();
    this.#note(previous && previous !== this.tabId ? `leader (after ${previous})` : 'leader');
    this.#gapForLocalChannels();
    for (const [site, local] of this.#local) this.#addInterest(site, this.tabId, local.channel);
    // Requests sent to the old leader (or waiting for one) are made here now.
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) this.#serve(p.message, true).then(p.settle, () => {});
    this.#send({ t: 'leader', from: this.tabId });
    for (const peer of this.#peers.keys()) this.#watchPeer(peer);
    this.#considerHandover();
  }

  /** Leadership went to another tab: its real channels close here, its engine waits for the new leader's. */
  #demote(): void {
    this.#note('follower (leadership taken)');
    this.#role = 'follower';
    this.#leader = undefined;
    this.#releaseLeader = undefined;
    this.#leaderScope?.abort();
    this.#leaderScope = undefined;
    this.#closeRealChannels();
    this.#gapForLocalChannels();
    this.#queueForLeader();
    // The new leader's announcement may have arrived while we still led: ask again.
    this.#send({ t: 'hello', from: this.tabId, visible: this.#visible() });
  }

  #followLeader(leader: string): void {
    if (this.#role === 'closed' || leader === this.#leader) return;
    const previous = this.#leader;
    this.#leader = leader;
    if (this.#role !== 'leader') this.#role = 'follower';
    this.#note(`follows ${leader}${previous ? ` (after ${previous})` : ''}`);
    this.#gapForLocalChannels();
    this.#send({ t: 'hello', from: this.tabId, visible: this.#visible() });
    for (const [site, local] of this.#local) this.#send({ t: 'sub', from: this.tabId, site, channel: local.channel });
    for (const p of this.#pending.values()) this.#send(p.message);
  }

  /**
   * Whatever fed this tab's channels stopped: each engine that was
   * SUBSCRIBED sees an error now, so its gap starts here and its catch-up
   * covers it when the next SUBSCRIBED arrives.
   */
  #gapForLocalChannels(): void {
    for (const local of this.#local.values()) {
      if (local.status === 'SUBSCRIBED') this.#deliverStatus(local, 'CHANNEL_ERROR', LEADER_CHANGED);
    }
  }

  #onVisibility(): void {
    if (this.#role === 'closed') return;
    this.#send({ t: 'hello', from: this.tabId, visible: this.#visible() });
    this.#considerHandover();
  }

  /** A hidden leader hands over to the first visible peer (the lowest id, so every tab agrees). */
  #considerHandover(): void {
    if (this.#role !== 'leader' || this.#visible()) return;
    const visible = [...this.#peers].filter(([, p]) => p.visible).map(([id]) => id).sort();
    const to = visible[0];
    if (to === undefined || to === this.#handoverTo) return;
    this.#handoverTo = to;
    this.#note(`handover to ${to}`);
    this.#send({ t: 'handover', from: this.tabId, to });
  }

  #watchPeer(peer: string): void {
    const scope = this.#leaderScope;
    if (!scope) return;
    this.#lock(tabLockName(this.#scope, peer), { signal: scope.signal }, () => {
      if (scope.signal.aborted) return;
      this.#peerGone(peer);
    });
  }

  #peerGone(peer: string): void {
    this.#peers.delete(peer);
    this.#note(`peer ${peer} gone`);
    if (this.#handoverTo === peer) this.#handoverTo = undefined;
    for (const site of [...this.#interest.keys()]) this.#removeInterest(site, peer);
  }

  // ---- messages -----------------------------------------------------------

  #send(message: Message): void {
    const channel = this.#channel;
    if (!channel) return;
    this.#sent[message.t] = (this.#sent[message.t] ?? 0) + 1;
    if (message.t !== 'payload' && message.t !== 'ans' && message.t !== 'req') this.#note(`sent ${message.t}${'to' in message && message.to ? ` to ${message.to}` : ''}`);
    try {
      channel.postMessage(envelope(message));
    } catch (err) {
      this.#report(err);
    }
  }

  #onMessage(data: unknown): void {
    if (this.#role === 'closed') return;
    const read = readMessage(data);
    if (!read.ok) {
      this.#dropped[read.reason]++;
      return;
    }
    const m = read.message;
    if (m.from === this.tabId) return;
    if ('to' in m && m.to !== undefined && m.to !== this.tabId) return;
    this.#received[m.t] = (this.#received[m.t] ?? 0) + 1;
    if (!this.#peers.has(m.from)) {
      // Visibility is unknown until its hello: never hand leadership to a tab on a guess.
      this.#peers.set(m.from, { visible: m.t === 'hello' ? m.visible : false });
      if (this.#role === 'leader') this.#watchPeer(m.from);
    }
    switch (m.t) {
      case 'hello':
        this.#peers.set(m.from, { visible: m.visible });
        if (this.#role === 'leader') {
          this.#send({ t: 'leader', from: this.tabId, to: m.from });
          if (m.visible) this.#considerHandover();
        }
        return;
      case 'leader':
        if (this.#role !== 'leader') this.#followLeader(m.from);
        return;
      case 'handover':
        if (this.#role === 'follower' && this.#visible()) this.#steal();
        return;
      case 'sub':
        if (this.#role === 'leader') this.#addInterest(m.site, m.from, m.channel);
        return;
      case 'unsub':
        if (this.#role === 'leader') this.#removeInterest(m.site, m.from);
        return;
      case 'req':
        if (this.#role === 'leader') {
          const to = m.from;
          const id = m.id;
          void this.#serve(m, false).then((answer) => this.#send({ t: 'ans', from: this.tabId, to, id, answer }));
        }
        return;
      case 'ans': {
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        p.settle(m.answer);
        return;
      }
      case 'payload': {
        if (m.from !== this.#leader || this.#role === 'leader') return;
        const local = this.#local.get(m.site);
        if (local) this.#guard(() => local.handlers.onPayload(m.text));
        return;
      }
      case 'status': {
        if (m.from !== this.#leader || this.#role === 'leader') return;
        const local = this.#local.get(m.site);
        if (local) this.#deliverStatus(local, m.status, m.message);
        return;
      }
    }
  }

  // ---- requests -----------------------------------------------------------

  #rpc(name: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<{ data: unknown; error: { message: string; code?: string } | null }> {
    const kind = requestKind(name, params);
    const site = typeof params?.p_site_id === 'string' ? params.p_site_id : '';
    const fresh = kind === 'stats' && this.#freshNext;
    if (fresh) this.#freshNext = false;
    return this.#ask(kind, site, name, params, fresh, signal).then((a) => {
      if (!a.ok) return { data: null, error: a.code === undefined ? { message: a.message } : { message: a.message, code: a.code } };
      return { data: JSON.parse(a.text) as unknown, error: null };
    });
  }

  #fetchOverlay(site: string, signal?: AbortSignal): Promise<string> {
    return this.#ask('overlay', site, 'overlay', {}, false, signal).then((a) => {
      if (!a.ok) throw new Error(a.message);
      return a.text;
    });
  }

  /**
   * A request of this tab's engine: made here when leading, else sent to the leader. `signal`
   * (the engine gave up on it) aborts the leader's real call only when no other ask shares it;
   * a follower's ask is not withdrawn from the leader (its answer may serve the other tabs).
   */
  #ask(kind: RequestKind, site: string, name: string, params: Record<string, unknown>, fresh: boolean, signal?: AbortSignal): Promise<WireAnswer> {
    let paramsText: string;
    try {
      paramsText = JSON.stringify(params ?? {});
    } catch (err) {
      return Promise.resolve({ ok: false, message: `unsendable params: ${readErrorMessage(err) ?? 'unreadable'}` });
    }
    const message: Extract<Message, { t: 'req' }> = { t: 'req', from: this.tabId, id: ++this.#nextId, kind, site, name, params: paramsText, fresh };
    if (this.#role === 'leader' || this.#role === 'closed') return this.#serve(message, true, signal);
    return new Promise<WireAnswer>((resolve) => {
      this.#pending.set(message.id, { message, settle: resolve });
      if (this.#leader !== undefined) this.#send(message);
    });
  }

  /** The leader makes a request (its own or a follower's) through the shared calls. */
  #serve(m: Extract<Message, { t: 'req' }>, own: boolean, signal?: AbortSignal): Promise<WireAnswer> {
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(m.params) as Record<string, unknown>;
    } catch {
      return Promise.resolve({ ok: false, message: 'unreadable params' });
    }
    const kind = m.kind === 'overlay' ? 'overlay' : requestKind(m.name, params);
    const key = requestKey(kind, m.site, m.name, params);
    const answer = this.#shared.run({ key, kind, site: m.site, own, fresh: m.fresh, nowMs: this.#clock.now() }, (s) => this.#call(kind, m.site, m.name, params, s), signal);
    return answer.then((a) => toWire(kind, a));
  }

  /** One real call; whatever the adapter does becomes an answer (never a rejection). */
  #call(kind: RequestKind, site: string, name: string, params: Record<string, unknown>, signal: AbortSignal | undefined): Promise<Answer> {
    return Promise.resolve()
      .then((): unknown => (kind === 'overlay' ? this.#real.overlay.fetchOverlay(site, { signal }) : this.#real.rpc.rpc(name, params, { signal })))
      .then((value: unknown): Answer => {
        if (kind === 'overlay') return typeof value === 'string' ? { ok: true, value } : { ok: false, message: 'overlay adapter resolved with no text' };
        const r = value as { data?: unknown; error?: { message?: unknown; code?: unknown } | null } | null;
        if (r === null || typeof r !== 'object') return { ok: false, message: 'rpc adapter resolved with no answer' };
        if (r.error !== null && r.error !== undefined) {
          const message = typeof r.error.message === 'string' ? r.error.message : 'rpc error';
          return typeof r.error.code === 'string' ? { ok: false, message, code: r.error.code } : { ok: false, message };
        }
        return { ok: true, value: r.data ?? null };
      })
      .catch((err: unknown): Answer => ({ ok: false, message: readErrorMessage(err) ?? 'request failed' }));
  }

  // ---- channels -----------------------------------------------------------

  #subscribe(site: string, channel: string, handlers: RealtimeHandlers): () => void {
    const local: LocalChannel = { handlers, channel };
    this.#local.set(site, local);
    if (this.#role === 'leader') this.#addInterest(site, this.tabId, channel);
    else if (this.#leader !== undefined) this.#send({ t: 'sub', from: this.tabId, site, channel });
    return () => {
      if (this.#local.get(site) !== local) return;
      this.#local.delete(site);
      if (this.#role === 'leader') this.#removeInterest(site, this.tabId);
      else if (this.#leader !== undefined) this.#send({ t: 'unsub', from: this.tabId, site });
    };
  }

  /**
   * A tab wants a site's channel. The first opens it; a repeat is that tab's
   * engine reconnecting, which reopens a failed channel (a healthy one is
   * left alone). The tab is told the channel's status if it has one.
   */
  #addInterest(site: string, tab: string, channel: string): void {
    let tabs = this.#interest.get(site);
    if (!tabs) this.#interest.set(site, (tabs = new Set()));
    tabs.add(tab);
    const open = this.#open.get(site);
    if (!open || (open.status !== undefined && ERROR_STATUSES.has(open.status))) {
      this.#openReal(site, channel);
      return;
    }
    if (open.status === undefined) return;
    if (tab === this.tabId) {
      const local = this.#local.get(site);
      const status = open.status;
      if (local) queueMicrotask(() => this.#local.get(site) === local && this.#deliverStatus(local, status, open.message));
    } else {
      this.#send({ t: 'status', from: this.tabId, site, status: open.status, ...(open.message === undefined ? {} : { message: open.message }), to: tab });
    }
  }

  #removeInterest(site: string, tab: string): void {
    const tabs = this.#interest.get(site);
    if (!tabs?.delete(tab) || tabs.size > 0) return;
    this.#interest.delete(site);
    const open = this.#open.get(site);
    this.#open.delete(site);
    if (open?.close) this.#safely(open.close);
  }

  #openReal(site: string, channel: string): void {
    const previous = this.#open.get(site);
    if (previous?.close) this.#safely(previous.close);
    const state: RealChannel = { channel };
    this.#open.set(site, state);
    const current = () => this.#open.get(site) === state && this.#role === 'leader';
    const handlers: RealtimeHandlers = {
      onPayload: (payload) => this.#safely(() => {
        if (!current()) return;
        this.#shared.changed(site);
        const local = this.#local.get(site);
        if (local) this.#guard(() => local.handlers.onPayload(payload));
        const text = payloadText(payload);
        if (text !== undefined) this.#send({ t: 'payload', from: this.tabId, site, text });
      }),
      onStatus: (status, message) => this.#safely(() => {
        if (!current()) return;
        const s = typeof status === 'string' ? status.slice(0, 32) : 'ERROR';
        const msg = typeof message === 'string' ? message.slice(0, 512) : undefined;
        state.status = s;
        state.message = msg;
        this.#shared.changed(site);
        const local = this.#local.get(site);
        if (local) this.#deliverStatus(local, s, msg);
        this.#send({ t: 'status', from: this.tabId, site, status: s, ...(msg === undefined ? {} : { message: msg }) });
      }),
    };
    this.#note(`opens ${site}`);
    try {
      const close = this.#real.realtime.subscribe(site, channel, handlers);
      if (typeof close === 'function') state.close = close;
    } catch (err) {
      this.#report(err);
      handlers.onStatus('CHANNEL_ERROR', `realtime adapter subscribe threw: ${readErrorMessage(err) ?? 'an unreadable error'}`);
    }
  }

  #closeRealChannels(): void {
    const open = [...this.#open.values()];
    this.#open.clear();
    this.#interest.clear();
    for (const o of open) if (o.close) this.#safely(o.close);
  }

  #deliverStatus(local: LocalChannel, status: string, message?: string): void {
    local.status = status;
    this.#guard(() => local.handlers.onStatus(status, message));
  }

  // ---- plumbing -----------------------------------------------------------

  #visible(): boolean {
    try {
      return this.#visibility.get() !== false;
    } catch {
      return true;
    }
  }

  #note(what: string): void {
    this.#log.push({ atMs: this.#clock.now(), what });
    if (this.#log.length > LOG_LIMIT) this.#log.shift();
  }

  #guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.#report(err);
      return undefined;
    }
  }

  #safely(fn: () => void): void {
    this.#guard(fn);
  }

  #report(err: unknown): void {
    try {
      this.#onError(err);
    } catch {
      // nowhere left to report to
    }
  }
}

/** A row as the text followers receive (they parse only what a callback needs); unsendable rows stay local. */
function payloadText(payload: unknown): string | undefined {
  let text: string | undefined;
  try {
    text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  } catch {
    return undefined;
  }
  // Over the limit the followers' engines would drop it as oversized anyway.
  return text === undefined || exceedsUtf8(text, MAX_PAYLOAD_BYTES) ? undefined : text;
}

function toWire(kind: RequestKind, a: Answer): WireAnswer {
  if (!a.ok) return a.code === undefined ? { ok: false, message: a.message } : { ok: false, message: a.message, code: a.code };
  if (kind === 'overlay') return { ok: true, text: a.value as string };
  try {
    return { ok: true, text: JSON.stringify(a.value) ?? 'null' };
  } catch (err) {
    return { ok: false, message: `unreadable response: ${readErrorMessage(err) ?? 'unserializable'}` };
  }
}
