// "Decode in TS, decide in Rust": a payload object is read once, here, into
// the core's slot buffers (src/realtime/payload_view.rs), and crosses as a
// few numbers instead of JSON text. Which fields there are, their order and
// the tags come from the core (js/generated/core-facts.ts); every rule about
// what a value means (trimming, which types count, the metadata fallback,
// the tables and event types accepted) stays in Rust.
//
// Only a plain object this walk can prove is within the core's limits takes
// this path. The size bound counts each UTF-16 unit of a string or key as 6
// bytes (the most JSON.stringify can write for one: `\uXXXX`) and any number
// as 25, so under MAX_PAYLOAD_BYTES here means under it as JSON text; depth is
// counted as the text scan counts it. Anything else (over the bound, too
// deep or cyclic, a toJSON, a class instance, a function, a lone surrogate,
// a throwing getter, an array at the top) answers `undefined` and the caller
// sends JSON text, which the core checks exactly as before: no payload is
// decided differently by taking one path or the other.
import { MAX_PAYLOAD_BYTES, MAX_PAYLOAD_DEPTH, META_FIELDS, PAYLOAD_FIELDS, ROW_FIELDS, SLOT_TAGS } from './generated/core-facts.js';

type Tag = (typeof SLOT_TAGS)[number];
const TAG = Object.fromEntries(SLOT_TAGS.map((t, i) => [t, i])) as Record<Tag, number>;

const ROW_BASE = PAYLOAD_FIELDS.length;
const META_BASE = ROW_BASE + ROW_FIELDS.length;
/** Slots in all; the core's buffer holds a (tag, value) pair per slot. */
export const SLOT_COUNT = META_BASE + 2 * META_FIELDS.length;

/** A field name's slot. A prototype-less object, not a Map: the walk ~5% faster side by side (BENCHMARKS.md). */
type Slots = Readonly<Record<string, number | undefined>>;
const slotsOf = (names: readonly string[], base: number): Slots => {
  const slots: Record<string, number> = Object.create(null);
  names.forEach((name, i) => (slots[name] = base + i));
  return slots;
};
const PAYLOAD_SLOTS = slotsOf(PAYLOAD_FIELDS, 0);
const ROW_SLOTS = slotsOf(ROW_FIELDS, ROW_BASE);
/** The slots whose object holds more slots: `new` → the row, `metadata` and `meta` → ads fields. */
const NESTED = new Map<number, Slots>([
  [PAYLOAD_SLOTS.new ?? -1, ROW_SLOTS],
  [ROW_SLOTS.metadata ?? -1, slotsOf(META_FIELDS, META_BASE)],
  [ROW_SLOTS.meta ?? -1, slotsOf(META_FIELDS, META_BASE + META_FIELDS.length)],
]);

/** The most JSON text one UTF-16 unit becomes, and a number. */
const BYTES_PER_UNIT = 6;
const NUMBER_BYTES = 25;

/** A reusable reader writing into a `Float64Array` of `2 * SLOT_COUNT` (the core's, viewed in its memory). */
export class PayloadSlotReader {
  readonly #texts: Array<string | undefined> = new Array(SLOT_COUNT).fill(undefined);
  #slots: Float64Array = new Float64Array(2 * SLOT_COUNT);
  #bound = 0;

  /**
   * Fills `slots` from `payload` and answers the text the core reads them
   * with: the site id, then every string slot's text (and numbers' as JSON
   * writes them), in slot order. `undefined` when the payload must cross as
   * JSON text instead (see the module comment).
   */
  read(siteId: string, payload: unknown, slots: Float64Array): string | undefined {
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || objectPrototypeEnumerates()) return undefined;
    this.#slots = slots;
    slots.fill(0);
    this.#texts.fill(undefined);
    this.#bound = 0;
    try {
      if (!this.#container(payload, 1, -1, PAYLOAD_SLOTS)) return undefined;
    } catch {
      return undefined; // a throwing getter or proxy trap: JSON.stringify decides what it is
    }
    let text = siteId;
    const texts = this.#texts;
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i];
      if (t !== undefined) text += t;
    }
    return text;
  }

  #tag(slot: number, tag: number, value: number): void {
    this.#slots[2 * slot] = tag;
    this.#slots[2 * slot + 1] = value;
  }

  /** One value; `slot` is -1 for values no rule reads (only measured). */
  #value(v: unknown, depth: number, slot: number): boolean {
    switch (typeof v) {
      case 'string':
        if (!isWellFormed(v)) return false;
        this.#bound += 2 + BYTES_PER_UNIT * v.length;
        if (slot >= 0) {
          this.#tag(slot, TAG.string, v.length);
          this.#texts[slot] = v;
        }
        return true;
      case 'number':
        this.#bound += NUMBER_BYTES;
        if (slot < 0) return true;
        if (Number.isFinite(v)) {
          const text = String(v); // what JSON.stringify writes for a finite number
          this.#tag(slot, TAG.number, text.length);
          this.#texts[slot] = text;
        } else {
          this.#tag(slot, TAG.null, 0); // JSON writes NaN and ±Infinity as null
        }
        return true;
      case 'boolean':
        this.#bound += 5;
        if (slot >= 0) this.#tag(slot, TAG.boolean, v ? 1 : 0);
        return true;
      case 'object':
        if (v === null) {
          this.#bound += 4;
          if (slot >= 0) this.#tag(slot, TAG.null, 0);
          return true;
        }
        return this.#container(v, depth + 1, slot, NESTED.get(slot));
      default:
        return false; // a function, symbol or bigint: JSON.stringify's rules, on the text path
    }
  }

  #container(o: object, depth: number, slot: number, fields: Slots | undefined): boolean {
    if (depth > MAX_PAYLOAD_DEPTH || typeof (o as { toJSON?: unknown }).toJSON === 'function') return false;
    if (Array.isArray(o)) {
      if (Object.getPrototypeOf(o) !== Array.prototype) return false;
      if (slot >= 0) this.#tag(slot, TAG.array, o.length);
      this.#bound += 2 + o.length;
      for (let i = 0; i < o.length; i++) {
        const e: unknown = o[i];
        if (e === undefined) this.#bound += 4; // written as null
        else if (!this.#value(e, depth, -1)) return false;
        if (this.#bound > MAX_PAYLOAD_BYTES) return false;
      }
      return true;
    }
    const proto: unknown = Object.getPrototypeOf(o);
    if (proto !== Object.prototype && proto !== null) return false;
    if (slot >= 0) this.#tag(slot, TAG.object, 0);
    this.#bound += 2;
    // `for…in` visits what `Object.keys` lists, in its order, without making the array (half
    // the walk's time in bench:events): the prototype is Object.prototype or null, and `read`
    // made sure nothing enumerable was added to Object.prototype.
    for (const key in o) {
      const e: unknown = (o as Record<string, unknown>)[key];
      if (e === undefined) continue; // JSON leaves it out
      const at = fields?.[key];
      if (at === undefined && !isWellFormed(key)) return false; // the table's names are well formed
      this.#bound += 4 + BYTES_PER_UNIT * key.length;
      if (!this.#value(e, depth, at ?? -1)) return false;
      if (this.#bound > MAX_PAYLOAD_BYTES) return false;
    }
    return true;
  }
}

/** Whether something enumerable was added to Object.prototype (every `for…in` would list it). */
function objectPrototypeEnumerates(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/** No lone surrogate (JSON.stringify escapes one, which the core's parser refuses: the text path decides). */
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDFFF]/.test(s) || /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/.test(s);
