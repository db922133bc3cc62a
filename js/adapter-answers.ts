// What adapters hand back, read without trusting it. An adapter is user code
// (supabase-js, fetch, an EventSource, a test fake): it may resolve
// `undefined`, return garbage, throw instead of rejecting, or hand over an
// error whose `message` getter throws. Each of those becomes an answer the
// engine understands (so the request fails on the right handle instead of
// hanging) plus a `fault` for the driver to report once through onError.
import { ADAPTER_STATUSES } from './generated/core-facts.js';
import { describe, readMessage } from './args.js';
import { pulseError } from './errors.js';
import { capMessage } from './limits.js';
import type { PulseError } from './types.js';

export type RpcAnswer = { data: unknown } | { error: { message: string; code?: string } };
export type OverlayAnswer = { body: string } | { error: string };
export interface StatusAnswer {
  status: string;
  message: string | undefined;
}

/** An answer for the engine and, when the adapter broke its contract, the fault to report. */
export interface Read<T> {
  answer: T;
  fault?: PulseError;
}

/** The adapter broke its contract: the request fails with `message` and the fault says the same. */
function faulted<T>(failed: (message: string) => T, message: string): Read<T> {
  const text = capMessage(message);
  return { answer: failed(text), fault: pulseError('invalid_argument', text) };
}

export const rpcFailed = (message: string): RpcAnswer => ({ error: { message } });
export const overlayFailed = (message: string): OverlayAnswer => ({ error: message });

/**
 * Calls an adapter and reads its answer: a synchronous throw or an
 * unreadable rejection is a fault; an ordinary rejection is a failed request
 * (a network error is not the adapter's fault). Never rejects.
 */
export function settle<T>(adapter: string, call: () => unknown, read: (value: unknown) => Read<T>, failed: (message: string) => T): Read<T> | Promise<Read<T>> {
  let pending: unknown;
  try {
    pending = call();
  } catch (err) {
    return faulted(failed, `${adapter} adapter threw instead of rejecting: ${readMessage(err) ?? 'an unreadable error'}`);
  }
  return Promise.resolve(pending).then(read, (reason: unknown) => {
    const message = readMessage(reason);
    return message === undefined ? faulted(failed, `${adapter} adapter rejected with an unreadable error`) : { answer: failed(message) };
  });
}

/** supabase-js's `{data, error}`; anything else fails the request. */
export function readRpcAnswer(value: unknown): Read<RpcAnswer> {
  const bad = (what: string) => faulted(rpcFailed, `rpc adapter resolved ${what}`);
  if (typeof value !== 'object' || value === null) return bad(`${describe(value)}, not {data, error}`);
  let error: unknown;
  let data: unknown;
  try {
    error = (value as { error?: unknown }).error;
    if (error === undefined || error === null) data = (value as { data?: unknown }).data;
  } catch {
    return bad('an object whose data or error could not be read');
  }
  if (error === undefined || error === null) return { answer: { data } };
  if (typeof error !== 'object') return bad(`an error that is ${describe(error)}, not {message, code?}`);
  let message: unknown;
  let code: unknown;
  try {
    message = (error as { message?: unknown }).message;
    code = (error as { code?: unknown }).code;
  } catch {
    return bad('an error whose message could not be read');
  }
  if (typeof message !== 'string') return bad(`an error whose message is ${describe(message)}`);
  if (code !== undefined && code !== null && typeof code !== 'string') return bad(`an error whose code is ${describe(code)}`);
  return { answer: { error: typeof code === 'string' ? { message, code } : { message } } };
}

/** The body text of `/api/stats/realtime`; anything but a string fails the poll. */
export function readOverlayAnswer(value: unknown): Read<OverlayAnswer> {
  if (typeof value === 'string') return { answer: { body: value } };
  return faulted(overlayFailed, `overlay adapter resolved ${describe(value)}, not the body text`);
}

/** Text a non-payload crosses as: a JSON string, which the core counts as a malformed payload. */
const NOT_A_PAYLOAD = '"not a payload"';

/** A postgres_changes payload (an object, or its JSON text) as JSON text for the core. */
export function readPayload(payload: unknown): Read<string> {
  if (typeof payload === 'string') return { answer: payload };
  if (typeof payload === 'object' && payload !== null) {
    try {
      const text: unknown = JSON.stringify(payload);
      if (typeof text === 'string') return { answer: text };
    } catch {
      // A cycle, a BigInt or a throwing getter: the fault below.
    }
    return { answer: NOT_A_PAYLOAD, fault: pulseError('invalid_payload', 'realtime adapter delivered a payload that cannot be read as JSON') };
  }
  return { answer: NOT_A_PAYLOAD, fault: pulseError('invalid_payload', `realtime adapter delivered ${describe(payload)}, not a payload object or its JSON text`) };
}

/** supabase-js reports `SUBSCRIBED`, `CHANNEL_ERROR`, `TIMED_OUT`, `CLOSED`; any other string is an error status. */
const KNOWN_STATUSES: readonly string[] = ADAPTER_STATUSES;

/** A channel status and its optional message; a non-string status is an `ERROR` and a fault. */
export function readStatus(status: unknown, message: unknown): Read<StatusAnswer> {
  if (typeof status !== 'string') {
    const text = `realtime adapter reported ${describe(status)}, not a status string`;
    return { answer: { status: 'ERROR', message: text }, fault: pulseError('invalid_argument', text) };
  }
  const answer = { status: KNOWN_STATUSES.includes(status) ? status : 'ERROR', message: undefined as string | undefined };
  if (message === undefined || message === null) return { answer };
  if (typeof message === 'string') return { answer: { ...answer, message } };
  return { answer, fault: pulseError('invalid_argument', `realtime adapter reported a status message that is ${describe(message)}, not a string`) };
}
