// A local stand-in for a Supabase project, for the consumer fixtures: what the
// real supabase-js client talks to, on 127.0.0.1.
//
// - PostgREST RPCs: POST /rest/v1/rpc/{name} for the package's four functions,
//   their parameters checked by name (a wrong name is a 400 the test sees).
// - The overlay route: GET /api/stats/realtime?siteId=…
// - Supabase Realtime over a websocket (/realtime/v1/websocket), the Phoenix
//   protocol as realtime-js speaks it: vsn 2.0.0 frames
//   `[join_ref, ref, topic, event, payload]` (vsn 1.0.0 objects are accepted
//   too); `phx_join` with `config.postgres_changes` answered by a `phx_reply`
//   that gives each binding its id; heartbeats on topic `phoenix`;
//   `access_token`; `phx_leave`. A while after a channel joins, one `calls`
//   INSERT for its site is sent as a `postgres_changes` message carrying the
//   binding ids (and the sealed count rises, so the next stats fetch shows it).
// - GET /__state: what happened (joins, RPC calls, messages sent), for the test.
//
// Written from the protocol (RFC 6455 framing, Phoenix channel messages); no
// dependencies. `node tests/consumers/backend.mjs [port]` runs it alone.
import { createServer } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';

export const SITE_ID = '3f2b6c1e-9a4d-4c1e-8f00-000000000001';
export const ANON_KEY = 'consumer-test-anon-key';

const RPC_PARAMS = {
  get_command_center_p0_stats_v2: ['p_site_id', 'p_date_from', 'p_date_to', 'p_ads_only'],
  get_recent_intents_v2: ['p_site_id', 'p_date_from', 'p_date_to', 'p_limit', 'p_ads_only'],
  get_recent_intents_v1: ['p_site_id', 'p_since', 'p_minutes_lookback', 'p_limit', 'p_ads_only'],
  get_session_details: ['p_site_id', 'p_session_id'],
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'apikey, authorization, content-type, x-client-info, accept-profile, content-profile, prefer, x-supabase-api-version',
};

/** Starts the backend; resolves with `{url, port, state, close()}`. */
export async function startBackend({ port = 0, insertAfterMs = 400, sealed = 7 } = {}) {
  const state = { sealed, rpc: [], badRpc: [], overlay: 0, sockets: 0, joins: [], heartbeats: 0, sent: [], leaves: 0 };
  const sockets = new Set();

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...CORS, ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return send(204);
    if (url.pathname === '/__state') return send(200, state);
    if (url.pathname === '/api/stats/realtime' && req.method === 'GET') {
      state.overlay++;
      return send(200, { captured: 12, gclid: 3, junk: 0 });
    }
    const rpc = /^\/rest\/v1\/rpc\/([a-z0-9_]+)$/.exec(url.pathname);
    if (rpc && req.method === 'POST') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => { if (body.length < 65536) body += chunk; });
      req.on('end', () => {
        const name = rpc[1];
        let params;
        try {
          params = body ? JSON.parse(body) : {};
        } catch {
          return send(400, { code: 'PGRST102', message: 'invalid JSON body', details: null, hint: null });
        }
        const wanted = RPC_PARAMS[name];
        if (!wanted) return send(404, { code: 'PGRST202', message: `Could not find the function public.${name}`, details: null, hint: null });
        const keys = Object.keys(params).sort();
        if (keys.join() !== [...wanted].sort().join()) {
          state.badRpc.push({ name, keys });
          return send(404, { code: 'PGRST202', message: `Could not find the function public.${name}(${keys.join(', ')})`, details: null, hint: null });
        }
        state.rpc.push({ name, params });
        if (name === 'get_command_center_p0_stats_v2') return send(200, statsRow(params, state.sealed));
        return send(200, []);
      });
      return;
    }
    send(404, { message: 'not found' });
  });

  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const key = req.headers['sec-websocket-key'];
    if (!url.pathname.startsWith('/realtime/v1') || typeof key !== 'string') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    state.sockets++;
    sockets.add(socket);
    const vsn = url.searchParams.get('vsn') ?? '1.0.0';
    const conn = new Connection(socket, vsn, state, insertAfterMs);
    socket.on('close', () => { sockets.delete(socket); conn.close(); });
    socket.on('error', () => socket.destroy());
  });

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = server.address().port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    state,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function statsRow(params, sealed) {
  return {
    site_id: params.p_site_id, date_from: params.p_date_from, date_to: params.p_date_to, ads_only: params.p_ads_only,
    queue_pending: 2, sealed, junk: 1, auto_approved: 0, oci_uploaded: 0, oci_failed: 0, oci_matchable_sealed: 0,
    assumed_cpc: 1.5, currency: 'TRY', estimated_budget_saved: 0, projected_revenue: 0, total_leads: sealed + 2,
    gclid_leads: 3, avg_scroll_depth: 0.5, inbox_zero_now: false,
  };
}

/** One websocket: RFC 6455 frames in and out, Phoenix messages inside them. */
class Connection {
  #buffer = Buffer.alloc(0);
  #timers = new Set();
  #nextId = 1;

  constructor(socket, vsn, state, insertAfterMs) {
    this.socket = socket;
    this.array = vsn.startsWith('2');
    this.state = state;
    this.insertAfterMs = insertAfterMs;
    socket.on('data', (chunk) => this.#read(chunk));
  }

  close() {
    for (const t of this.#timers) clearTimeout(t);
  }

  #read(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      const opcode = b[0] & 0x0f;
      const masked = (b[1] & 0x80) !== 0;
      let len = b[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if (masked) at += 4;
      if (b.length < at + len) return;
      const payload = Buffer.from(b.subarray(at, at + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= b[maskAt + (i % 4)];
      this.#buffer = b.subarray(at + len);
      if (opcode === 0x8) {
        this.#frame(0x8, Buffer.alloc(0));
        this.socket.end();
        return;
      }
      if (opcode === 0x9) this.#frame(0xa, payload);
      else if (opcode === 0x1) this.#message(payload.toString('utf8'));
    }
  }

  #frame(opcode, payload) {
    if (this.socket.destroyed) return;
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x80 | opcode, len])
      : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const x = Buffer.alloc(8); x.writeBigUInt64BE(BigInt(len)); return x; })()]);
    this.socket.write(Buffer.concat([head, payload]));
  }

  #send(joinRef, ref, topic, event, payload) {
    const msg = this.array ? [joinRef, ref, topic, event, payload] : { join_ref: joinRef, ref, topic, event, payload };
    this.state.sent.push(event);
    this.#frame(0x1, Buffer.from(JSON.stringify(msg)));
  }

  #message(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    const [joinRef, ref, topic, event, payload] = Array.isArray(msg) ? msg : [msg.join_ref, msg.ref, msg.topic, msg.event, msg.payload];
    const reply = (response = {}, status = 'ok') => this.#send(joinRef ?? null, ref ?? null, topic, 'phx_reply', { status, response });
    if (topic === 'phoenix' && event === 'heartbeat') {
      this.state.heartbeats++;
      return reply();
    }
    if (event === 'phx_join') return this.#join(joinRef, topic, payload, reply);
    if (event === 'phx_leave') {
      this.state.leaves++;
      reply();
      return this.#send(joinRef ?? null, null, topic, 'phx_close', {});
    }
    if (event === 'access_token') return reply(); // realtime-js sends its token after joining
    reply();
  }

  #join(joinRef, topic, payload, reply) {
    const bindings = (payload?.config?.postgres_changes ?? []).map((b) => ({ ...b, id: this.#nextId++ }));
    this.state.joins.push({ topic, bindings: bindings.map(({ event, schema, table, filter }) => ({ event, schema, table, filter: filter ?? null })) });
    reply({ postgres_changes: bindings.map(({ id, event, schema, table, filter }) => ({ id, event, schema, table, ...(filter ? { filter } : {}) })) });
    this.#send(null, null, topic, 'system', { channel: topic.replace(/^realtime:/, ''), extension: 'postgres_changes', message: 'Subscribed to PostgreSQL', status: 'ok' });
    // One calls INSERT for the site of the channel's filter, a little later.
    const site = bindings.map((b) => /^site_id=eq\.(.+)$/.exec(b.filter ?? '')?.[1]).find(Boolean);
    const ids = bindings.filter((b) => b.table === 'calls' && (b.event === 'INSERT' || b.event === '*')).map((b) => b.id);
    if (!site || ids.length === 0) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.state.sealed++;
      const record = { id: randomUUID(), site_id: site, status: 'sealed', matched_session_id: null, created_at: new Date().toISOString() };
      this.#send(null, null, topic, 'postgres_changes', {
        ids,
        data: {
          schema: 'public', table: 'calls', commit_timestamp: new Date().toISOString(), type: 'INSERT', errors: null,
          columns: [{ name: 'id', type: 'uuid' }, { name: 'site_id', type: 'uuid' }, { name: 'status', type: 'text' },
            { name: 'matched_session_id', type: 'uuid' }, { name: 'created_at', type: 'timestamptz' }],
          record,
        },
      });
    }, this.insertAfterMs);
    this.#timers.add(timer);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const b = await startBackend({ port: Number(process.argv[2] ?? 54321) });
  console.log(`backend on ${b.url}`);
}
