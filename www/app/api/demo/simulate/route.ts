// POST /api/demo/simulate — one simulated visit (the dashboard's button; the e2e tests use it too).
// POST with {"call": {"id": "...", "status": "intent"}} inserts exactly that call (409 if the id exists).
import { guard } from '@/lib/guard';
import { readJsonBody } from '@/lib/read-body';
import { parseSimulateBody } from '@/lib/simulate-body';
import { insertCall, simulateOnce } from '@/lib/simulator';

export const dynamic = 'force-dynamic';

const refuse = (status: number, error: string) => Response.json({ ok: false, error }, { status });

export const POST = guard('simulate', async (request: Request) => {
  const body = await readJsonBody(request);
  if (!body.ok) return refuse(body.status, body.message);
  const parsed = parseSimulateBody(body.value);
  if (!parsed.ok) return refuse(422, parsed.message);
  if (!parsed.call) {
    await simulateOnce();
    return Response.json({ ok: true });
  }
  if (!(await insertCall(parsed.call))) return refuse(409, 'call.id already exists');
  return Response.json({ ok: true, id: parsed.call.id });
});
