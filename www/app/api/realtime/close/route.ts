// POST /api/realtime/close — test only: ends every open realtime stream, so the
// e2e can force the reconnects a deploy or a dropped proxy causes. 404 unless the
// server was started with PULSE_DEMO_TEST_HOOKS=1; it takes no input and its work
// is bounded by the streams open at that instant.
import { guard } from '@/lib/guard';
import { closeAllStreams, testHooksEnabled } from '@/lib/sse-streams';

export const dynamic = 'force-dynamic';

export const POST = guard('realtime/close', async () => {
  if (!testHooksEnabled()) return Response.json({ ok: false, error: 'not found' }, { status: 404 });
  return Response.json({ ok: true, closed: closeAllStreams() }, { headers: { 'cache-control': 'no-store' } });
});
