// The dashboard's RPC endpoint, PostgREST-shaped: {data, error}. The body is
// read with a byte cap, the name looked up in a Map and every parameter
// checked (lib/rpc-catalog.ts) before anything reaches SQL.
import { callRpc } from '@/lib/db';
import { guard } from '@/lib/guard';
import { readJsonBody } from '@/lib/read-body';

export const dynamic = 'force-dynamic';

const rpcError = (status: number, code: string, message: string) => Response.json({ data: null, error: { code, message } }, { status });

export const POST = guard(
  'rpc',
  async (request: Request, context: { params: Promise<{ name: string }> }) => {
    const { name } = await context.params;
    const body = await readJsonBody(request);
    if (!body.ok) return rpcError(body.status, 'PGRST102', body.message);
    const result = await callRpc(name, body.value);
    return Response.json(result, { status: result.error?.code === 'PGRST202' ? 404 : result.error ? 400 : 200 });
  },
  () => rpcError(500, 'XX000', 'internal error'),
);
