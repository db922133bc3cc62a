// Starts the embedded database and the traffic simulator when the server boots.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { db } = await import('./lib/db');
    await db();
    const { startSimulator } = await import('./lib/simulator');
    startSimulator();
  }
}
