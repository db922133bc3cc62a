// Replaces the bodies of named wasm functions with `unreachable`:
// `npm run size -- --what-if REGEX` compresses the result to estimate what a
// lever (say, no BTreeMap) could save at most. Needs a wasm that still has
// its "name" section; every section is kept (wasm-opt needs the features).

function readU32(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}

function u32Bytes(value) {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return Buffer.from(out);
}

function sections(wasm) {
  const out = [];
  let pos = 8; // magic + version
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, start] = readU32(wasm, pos + 1);
    out.push({ id, start, end: start + size });
    pos = start + size;
  }
  return out;
}

function skipName(buf, pos) {
  const [len, p] = readU32(buf, pos);
  return p + len;
}

/** Function index -> name, from the "name" custom section. */
function functionNames(wasm, secs) {
  const names = new Map();
  for (const s of secs.filter((x) => x.id === 0)) {
    const [len, p] = readU32(wasm, s.start);
    if (wasm.toString('utf8', p, p + len) !== 'name') continue;
    let pos = p + len;
    while (pos < s.end) {
      const kind = wasm[pos];
      const [size, body] = readU32(wasm, pos + 1);
      if (kind === 1) {
        let [count, q] = readU32(wasm, body);
        while (count-- > 0) {
          const [index, q1] = readU32(wasm, q);
          const [nameLen, q2] = readU32(wasm, q1);
          names.set(index, wasm.toString('utf8', q2, q2 + nameLen));
          q = q2 + nameLen;
        }
      }
      pos = body + size;
    }
  }
  return names;
}

/** Number of imported functions (they come first in the index space). */
function importedFunctions(wasm, secs) {
  const s = secs.find((x) => x.id === 2);
  if (!s) return 0;
  let [count, pos] = readU32(wasm, s.start);
  let funcs = 0;
  const limits = (p) => {
    const flags = wasm[p];
    let [, q] = readU32(wasm, p + 1);
    if (flags & 1) [, q] = readU32(wasm, q);
    return q;
  };
  while (count-- > 0) {
    pos = skipName(wasm, skipName(wasm, pos));
    const kind = wasm[pos++];
    if (kind === 0) {
      funcs++;
      [, pos] = readU32(wasm, pos);
    } else if (kind === 1) pos = limits(pos + 1);
    else if (kind === 2) pos = limits(pos);
    else if (kind === 3) pos += 2;
    else if (kind === 4) [, pos] = readU32(wasm, pos + 1);
    else throw new Error(`unknown import kind ${kind}`);
  }
  return funcs;
}

/** The wasm with every function whose name matches `pattern` stubbed out. */
export function stubFunctions(wasm, pattern) {
  const secs = sections(wasm);
  const names = functionNames(wasm, secs);
  const base = importedFunctions(wasm, secs);
  const parts = [wasm.subarray(0, 8)];
  let stubbed = 0;
  for (const s of secs) {
    let payload = wasm.subarray(s.start, s.end);
    if (s.id === 10) {
      let [count, pos] = readU32(wasm, s.start);
      const bodies = [u32Bytes(count)];
      for (let i = 0; i < count; i++) {
        const [size, body] = readU32(wasm, pos);
        if (pattern.test(names.get(base + i) ?? '')) {
          bodies.push(Buffer.from([3, 0, 0x00, 0x0b])); // no locals; unreachable; end
          stubbed++;
        } else {
          bodies.push(wasm.subarray(pos, body + size));
        }
        pos = body + size;
      }
      payload = Buffer.concat(bodies);
    }
    parts.push(Buffer.from([s.id]), u32Bytes(payload.length), payload);
  }
  return { wasm: Buffer.concat(parts), stubbed };
}
