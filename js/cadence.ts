// The cadences a page may set (the driver's `cadence` option, PulseProvider's
// `cadence` prop). Names, defaults and bounds are the core's
// (src/engine/cadence.rs, generated into core-facts.ts); the core checks
// whole numbers, bounds and fast <= slow. Here only what JSON cannot carry is
// refused (NaN, Infinity, a Symbol or a function would silently become
// `null` or vanish, i.e. the default), with the same kind and field name.
import { describe, readMessage } from './args.js';
import { pulseError } from './errors.js';
import { CADENCE_FIELDS } from './generated/core-facts.js';

export type CadenceName = keyof typeof CADENCE_FIELDS;

/** Cadence overrides in ms; an absent (or `null`) name keeps its default. */
export type PulseCadence = { readonly [K in CadenceName]?: number | null };

const NAMES = Object.keys(CADENCE_FIELDS) as CadenceName[];

/** Every cadence's default, in ms (today's values, from the core). */
export const DEFAULT_CADENCE: Readonly<Record<CadenceName, number>> = Object.freeze(
  Object.fromEntries(NAMES.map((n) => [n, CADENCE_FIELDS[n].defaultMs])) as Record<CadenceName, number>,
);

function invalidCadence(message: string) {
  return pulseError('invalid_cadence', message);
}

/** The overrides as JSON text for the core, or `undefined` for every default. */
export function cadenceJson(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  let keys: string[];
  try {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidCadence(`cadence must be an object of cadence names to ms, got ${describe(value)}`);
    keys = Object.keys(value);
  } catch (err) {
    if ((err as { kind?: unknown }).kind === 'invalid_cadence') throw err;
    throw invalidCadence(`cadence could not be read: ${readMessage(err) ?? 'it threw'}`);
  }
  const out: Record<string, number> = {};
  for (const key of keys) {
    if (!(NAMES as string[]).includes(key)) {
      throw invalidCadence(`cadence.${key.slice(0, 64)} is not a cadence; known: ${NAMES.join(', ')}`);
    }
    let v: unknown;
    try {
      v = (value as Record<string, unknown>)[key];
    } catch (err) {
      throw invalidCadence(`cadence.${key} could not be read: ${readMessage(err) ?? 'its getter threw'}`);
    }
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidCadence(`cadence.${key} must be a whole number of ms, got ${describe(v)}`);
    out[key] = v;
  }
  return JSON.stringify(out);
}
