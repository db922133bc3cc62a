// Type tests: test-js/types/*.ts compiled with tsc against the built package's
// declarations and the real @supabase/supabase-js (a devDependency, current 2.x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./types/', import.meta.url));
const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));

test('the adapters take the real SupabaseClient (untyped and typed) without a cast; the SWR-style hook API compiles', () => {
  const r = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});
