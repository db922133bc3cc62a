// POST /api/demo/simulate — one simulated visit (the dashboard's button; the e2e tests use it too).
// POST with {"call": {"id": "...", "status": "intent"}} inserts exactly that call.
import { db } from '@/lib/db';
import { simulateOnce } from '@/lib/simulator';
import { DEMO_SITE_ID } from '@/lib/site';

export const dynamic = 'force-dynamic';

export async function POST(request: Request) {
  const body = (await request.json().catch(() => ({}))) as { call?: { id?: string; status?: string; phone?: string } };
  if (body.call?.id) {
    const { pg } = await db();
    await pg.query(`insert into calls (id, site_id, status, phone) values ($1, $2, $3, $4)`, [
      body.call.id.slice(0, 64), DEMO_SITE_ID, body.call.status ?? 'intent', body.call.phone ?? '+90 555 000 0000',
    ]);
    return Response.json({ ok: true, id: body.call.id });
  }
  await simulateOnce();
  return Response.json({ ok: true });
}
