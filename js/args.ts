// Argument checks for every public function and method, in one place. The
// wasm glue coerces silently (`'false'` is truthy, `1.9` becomes handle 1, a
// Symbol is a TypeError), so the TS wrappers check first and throw the
// package's Error with a `kind`, naming the argument and what it got.
import { pulseError } from './errors.js';
import { MAX_NAME_LENGTH } from './limits.js';
import type { PulseError, PulseErrorKind } from './types.js';

/** How a value is named in a message. Never throws: no toString, no getters. */
export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `string '${value.length > 40 ? value.slice(0, 40) + '…' : value}'`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${value}`;
    case 'object':
      if (value === null) return 'null';
      try {
        return Array.isArray(value) ? 'array' : 'object';
      } catch {
        return 'object'; // a revoked Proxy
      }
    default:
      return typeof value; // undefined, bigint, symbol, function
  }
}

function invalid(name: string, expected: string, value: unknown, kind: PulseErrorKind = 'invalid_argument'): PulseError {
  return pulseError(kind, `${name} must be ${expected}, got ${describe(value)}`);
}

export function boolArg(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(name, 'a boolean', value);
  return value;
}

/** An optional boolean: `undefined`/`null` mean `fallback`; nothing else is coerced. */
export function optionalBoolArg(name: string, value: unknown, fallback: boolean): boolean {
  return value === undefined || value === null ? fallback : boolArg(name, value);
}

/** A registration handle: a positive safe integer (1.9 is not handle 1). */
export function handleArg(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw invalid(name, 'a positive whole number (a handle)', value);
  return value as number;
}

/** A request id, seq or seed: a non-negative safe integer. */
export function countArg(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw invalid(name, 'a non-negative whole number', value);
  return Object.is(value, -0) ? 0 : (value as number);
}

export function optionalCountArg(name: string, value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : countArg(name, value);
}

/** An epoch-ms number as `new Date(ms)` takes it (for checks that stay in TS). */
export function instantArg(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e15) {
    throw invalid(name, 'an epoch-ms number within ±8.64e15', value, 'invalid_instant');
  }
  return value;
}

export function stringArg(name: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(name, 'a string', value);
  return value;
}

/** An optional string: `undefined`/`null` mean absent. */
export function optionalStringArg(name: string, value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : stringArg(name, value);
}

export function functionArg<F>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw invalid(name, 'a function', value);
  return value as F;
}

export function optionalFunctionArg<F>(name: string, value: unknown): F | undefined {
  return value === undefined || value === null ? undefined : functionArg<F>(name, value);
}

/** A delay in ms: a finite, non-negative number. */
export function delayArg(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw invalid(name, 'a finite number of ms >= 0', value);
  return value;
}

/** An instance of `cls` (devtools takes a driver, not a look-alike). */
export function instanceArg<T>(name: string, value: unknown, cls: abstract new (...args: never[]) => T): T {
  if (!(value instanceof cls)) throw invalid(name, `a ${cls.name}`, value);
  return value;
}

export function arrayArg(name: string, value: unknown): readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(name, 'an array', value);
  return value;
}

/**
 * A short name (zone, site id, date key, status) bound for the core: over
 * MAX_NAME_LENGTH it cannot be valid, so it is refused here with the kind the
 * core would use, before it is copied into wasm. Other values pass unchanged
 * and the core reports them as it always has.
 */
export function shortName<T>(name: string, value: T, kind: PulseErrorKind = 'invalid_argument'): T {
  if (typeof value === 'string' && value.length > MAX_NAME_LENGTH) {
    // No excerpt of the value: slicing a huge rope string would flatten (copy) all of it.
    throw pulseError(kind, `${name} is ${value.length} characters; the longest valid one is ${MAX_NAME_LENGTH}`);
  }
  return value;
}

type Fields<K extends string> = { readonly [P in K]: unknown };

/**
 * The named fields of an object argument, each read once. A getter that
 * throws is an invalid argument like any other, not a stray exception.
 */
export function objectFields<K extends string>(name: string, value: unknown, keys: readonly K[]): Fields<K> {
  let isObject = typeof value === 'object' && value !== null;
  try {
    isObject &&= !Array.isArray(value);
  } catch {
    isObject = false; // a revoked Proxy
  }
  if (!isObject) throw invalid(name, 'an object', value);
  const out = {} as Record<K, unknown>;
  for (const key of keys) {
    try {
      out[key] = (value as Record<K, unknown>)[key];
    } catch (err) {
      throw pulseError('invalid_argument', `${name}.${key} could not be read: ${readMessage(err) ?? 'its getter threw'}`);
    }
  }
  return out;
}

/** An object with the listed methods (an adapter, a client, a source), returned as `T`. */
export function methodsArg<T>(name: string, value: unknown, methods: readonly string[]): T {
  const fields = objectFields(name, value, methods);
  for (const m of methods) functionArg(`${name}.${m}`, fields[m]);
  return value as T;
}

/** `methodsArg`, where `undefined`/`null` mean absent. */
export function optionalMethodsArg<T>(name: string, value: unknown, methods: readonly string[]): T | undefined {
  return value === undefined || value === null ? undefined : methodsArg<T>(name, value, methods);
}

/** An options object: `undefined` and `null` mean every default; other non-objects are errors. */
export function optionFields<K extends string>(name: string, value: unknown, keys: readonly K[]): Fields<K> {
  return value === undefined || value === null ? ({} as Fields<K>) : objectFields(name, value, keys);
}

/**
 * The message of something thrown or rejected, or `undefined` when it has
 * none that can be read without throwing (a throwing getter or toString).
 */
export function readMessage(reason: unknown): string | undefined {
  try {
    if (reason instanceof Error) return typeof reason.message === 'string' ? reason.message : undefined;
    if (typeof reason === 'string') return reason;
    if (typeof reason === 'object' && reason !== null) {
      const message = (reason as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    }
    return typeof reason === 'symbol' ? reason.toString() : String(reason);
  } catch {
    return undefined;
  }
}
