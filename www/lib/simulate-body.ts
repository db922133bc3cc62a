// What POST /api/demo/simulate accepts: no body or {} (one random visit), or
// {call: {id, status?, phone?}} (exactly that call). The caps keep the call's
// row, which the trigger publishes with pg_notify (8000 bytes at most, and an
// update carries the row twice), near 400 bytes: it always fits.
import { object, readFields, text, token, type Field } from './validate';

export interface CallRow {
  id: string;
  status: string;
  phone: string;
}

const TOP: readonly Field[] = [{ name: 'call', check: object, fallback: undefined }];
const CALL: readonly Field[] = [
  { name: 'id', check: token(64) },
  { name: 'status', check: text(32, /[a-z_]/, "lowercase letters or '_'"), fallback: 'intent' },
  { name: 'phone', check: text(32, /[0-9+() -]/, "digits, spaces or '+', '(', ')', '-'"), fallback: '+90 555 000 0000' },
];

export type SimulateRequest = { ok: true; call: CallRow | null } | { ok: false; message: string };

export function parseSimulateBody(body: unknown): SimulateRequest {
  const top = readFields(body === undefined ? {} : body, TOP);
  if (!top.ok) return top;
  if (top.values[0] === undefined) return { ok: true, call: null };
  const call = readFields(top.values[0], CALL, 'call');
  if (!call.ok) return call;
  const [id, status, phone] = call.values as [string, string, string];
  return { ok: true, call: { id, status, phone } };
}
