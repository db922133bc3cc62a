// Checks for client input (RPC parameters, the simulate body). A check returns
// null when the value is acceptable, else why not, and never quotes the value:
// it may be megabytes long. Lengths are tested before any pattern runs.
import { validSiteId } from './site';

export type Check = (value: unknown) => string | null;

export const siteId: Check = (v) =>
  typeof v === 'string' && validSiteId(v) ? null : 'must be a site id (a UUID or 3-64 letters, digits, - or _)';

export const boolean: Check = (v) => (typeof v === 'boolean' ? null : 'must be true or false');

export const integer = (min: number, max: number): Check => (v) =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `must be an integer from ${min} to ${max}`;

/** A string of 1 to `max` characters, all matching `allowed` (a one-character class). */
export const text = (max: number, allowed: RegExp, what: string): Check => {
  const whole = new RegExp(`^${allowed.source}+$`);
  return (v) => (typeof v === 'string' && v.length >= 1 && v.length <= max && whole.test(v) ? null : `must be 1-${max} ${what}`);
};

/** An id as the demo's rows carry them (call ids, session ids). */
export const token = (max: number): Check => text(max, /[A-Za-z0-9_.:-]/, "letters, digits, '_', '.', ':' or '-'");

export const nullable = (check: Check): Check => (v) => (v === null ? null : check(v));

// An instant needs its zone: without one Postgres would read it in the session's.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/;

export const isoInstant: Check = (v) => {
  const m = typeof v === 'string' && v.length <= 40 ? ISO_INSTANT.exec(v) : null;
  if (m) {
    const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = m.slice(1).map((x) => Number(x ?? 0));
    const daysInMonth = new Date(Date.UTC(year!, month!, 0)).getUTCDate(); // day 0 of the next month
    if (year! >= 1 && month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth && hour! <= 23 && minute! <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59) {
      return null;
    }
  }
  return 'must be an ISO-8601 instant with a zone, like 2026-02-03T00:00:00.000Z';
};

export interface Field {
  name: string;
  check: Check;
  /** The value when the field is absent; without one the field is required. */
  fallback?: unknown;
}

export type FieldsResult = { ok: true; values: unknown[] } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const object: Check = (v) => (isObject(v) ? null : 'must be a JSON object');

/**
 * The values of `fields`, in their order, from the JSON object `input` (found
 * at `path`, the top level when absent), or a message naming the first bad
 * one. Own keys only, so `__proto__` or `constructor` in the input is just an
 * unknown field.
 */
export function readFields(input: unknown, fields: readonly Field[], path?: string): FieldsResult {
  const named = (key: string) => (path ? `${path}.${key}` : key);
  if (!isObject(input)) return { ok: false, message: `${path ?? 'body'} ${object(input)}` };
  const known = new Set(fields.map((f) => f.name));
  const unknown = Object.keys(input).find((key) => !known.has(key));
  if (unknown !== undefined) return { ok: false, message: `${named(unknown.slice(0, 40))} is not accepted here` };
  const values: unknown[] = [];
  for (const field of fields) {
    const present = Object.hasOwn(input, field.name);
    if (!present && !('fallback' in field)) return { ok: false, message: `${named(field.name)} is required` };
    const why = present ? field.check(input[field.name]) : null;
    if (why !== null) return { ok: false, message: `${named(field.name)} ${why}` };
    values.push(present ? input[field.name] : field.fallback);
  }
  return { ok: true, values };
}
