// A port nobody listens on, from the kernel (listen on 0, read it, close).
// Tests that start servers ask for one instead of a fixed number: two runs on
// one machine (a CI job beside a developer's run) must not answer each other.
import { createServer } from 'node:net';

export async function freePort() {
  const srv = createServer();
  await new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}
