// The messages tabs exchange over one BroadcastChannel. Every message is an
// envelope `{p, v, from, t, ...}`; anything else on the channel (another
// library, another package version, a hostile page script in the same origin,
// a truncated clone) is dropped and counted by reason before any field is
// used. Rows and answers travel as JSON text, so their size is measured
// before a tab parses or trusts them.
import { MAX_JSON_BYTES, MAX_NAME_LENGTH, MAX_PAYLOAD_BYTES, exceedsUtf8 } from '../limits.js';
import { REQUEST_KINDS } from '../generated/core-facts.js';
import type { RequestKind } from '../types.js';

/** Marks our envelopes apart from other users of the channel name. */
export const PROTOCOL = 'opsmantik-pulse';
/**
 * Bumped with any change to a message's shape. Tabs of another version use
 * another leader lock too (see names.ts), so an old tab never joins: it runs
 * alone, and its messages are dropped as `version`.
 */
export const PROTOCOL_VERSION = 1;

const MAX_ID_LENGTH = 64;
const MAX_CHANNEL_LENGTH = 128;
const MAX_STATUS_LENGTH = 32;
const MAX_ERROR_BYTES = 1024;
const MAX_PARAMS_BYTES = 4096;

/** A request's answer as it crosses: the data (or the overlay body) as JSON text, or an error. */
export type WireAnswer = { ok: true; text: string } | { ok: false; message: string; code?: string };

export type Message =
  /** A tab exists and tells whether it is visible (on start, on a change, on a new leader). */
  | { t: 'hello'; from: string; visible: boolean }
  /** The sender holds the leader lock; `to` answers one tab's hello. */
  | { t: 'leader'; from: string; to?: string }
  /** The leader asks `to` to take leadership (it is hidden and `to` is visible). */
  | { t: 'handover'; from: string; to: string }
  /** A follower's engine wants a site's channel (again: a reconnect). */
  | { t: 'sub'; from: string; site: string; channel: string }
  | { t: 'unsub'; from: string; site: string }
  /** A follower's engine issued a request; `fresh` bypasses answers the leader already has. */
  | { t: 'req'; from: string; id: number; kind: RequestKind; site: string; name: string; params: string; fresh: boolean }
  | { t: 'ans'; from: string; to: string; id: number; answer: WireAnswer }
  /** A row from the leader's channel for a site, as JSON text. */
  | { t: 'payload'; from: string; site: string; text: string }
  /** The leader's channel status for a site; `to` when it answers one tab's sub. */
  | { t: 'status'; from: string; site: string; status: string; message?: string; to?: string };

export type MessageType = Message['t'];

/** Why a message was dropped. */
export const DROP_REASONS = ['foreign', 'version', 'malformed', 'oversized'] as const;
export type CrossTabDropReason = (typeof DROP_REASONS)[number];

export type Read = { ok: true; message: Message } | { ok: false; reason: CrossTabDropReason };

/** The envelope as sent. */
export function envelope(message: Message): Record<string, unknown> {
  return { p: PROTOCOL, v: PROTOCOL_VERSION, ...message };
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_ID_LENGTH;
const isSite = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME_LENGTH;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

class Malformed extends Error {}
class Oversized extends Error {}

function need(ok: boolean): void {
  if (!ok) throw new Malformed();
}

function text(x: unknown, maxBytes: number): string {
  need(typeof x === 'string');
  if (exceedsUtf8(x as string, maxBytes)) throw new Oversized();
  return x as string;
}

function answer(x: unknown): WireAnswer {
  need(isObject(x));
  const a = x as Record<string, unknown>;
  if (a.ok === true) return { ok: true, text: text(a.text, MAX_JSON_BYTES) };
  need(a.ok === false);
  const message = text(a.message, MAX_ERROR_BYTES);
  if (a.code === undefined) return { ok: false, message };
  return { ok: false, message, code: text(a.code, MAX_STATUS_LENGTH) };
}

/** Reads what arrived on the channel; only what this returns as `ok` is used, and only its fields. */
export function readMessage(data: unknown): Read {
  if (!isObject(data) || data.p !== PROTOCOL) return { ok: false, reason: 'foreign' };
  if (data.v !== PROTOCOL_VERSION) return { ok: false, reason: 'version' };
  try {
    return { ok: true, message: parse(data) };
  } catch (err) {
    if (err instanceof Oversized) return { ok: false, reason: 'oversized' };
    if (err instanceof Malformed) return { ok: false, reason: 'malformed' };
    throw err;
  }
}

function parse(d: Record<string, unknown>): Message {
  const from = d.from;
  need(isId(from));
  const f = from as string;
  const to = (): string => {
    need(isId(d.to));
    return d.to as string;
  };
  const optionalTo = (): { to?: string } => (d.to === undefined ? {} : { to: to() });
  const site = (): string => {
    need(isSite(d.site));
    return d.site as string;
  };
  switch (d.t) {
    case 'hello':
      need(typeof d.visible === 'boolean');
      return { t: 'hello', from: f, visible: d.visible as boolean };
    case 'leader':
      return { t: 'leader', from: f, ...optionalTo() };
    case 'handover':
      return { t: 'handover', from: f, to: to() };
    case 'sub':
      need(typeof d.channel === 'string' && d.channel.length > 0 && d.channel.length <= MAX_CHANNEL_LENGTH);
      return { t: 'sub', from: f, site: site(), channel: d.channel as string };
    case 'unsub':
      return { t: 'unsub', from: f, site: site() };
    case 'req': {
      need(isCount(d.id) && typeof d.fresh === 'boolean' && (REQUEST_KINDS as readonly unknown[]).includes(d.kind));
      need(isSite(d.name));
      return { t: 'req', from: f, id: d.id as number, kind: d.kind as RequestKind, site: site(), name: d.name as string, params: text(d.params, MAX_PARAMS_BYTES), fresh: d.fresh as boolean };
    }
    case 'ans':
      need(isCount(d.id));
      return { t: 'ans', from: f, to: to(), id: d.id as number, answer: answer(d.answer) };
    case 'payload':
      return { t: 'payload', from: f, site: site(), text: text(d.text, MAX_PAYLOAD_BYTES) };
    case 'status': {
      const status = text(d.status, MAX_STATUS_LENGTH);
      const message = d.message === undefined ? {} : { message: text(d.message, MAX_ERROR_BYTES) };
      return { t: 'status', from: f, site: site(), status, ...message, ...optionalTo() };
    }
    default:
      throw new Malformed();
  }
}
