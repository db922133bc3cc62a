// The consumer fixture's own settings (none of them for opsmantik-pulse): the
// output mode under test, and the overlay route proxied to the test backend.
const backend = process.env.NEXT_PUBLIC_SUPABASE_URL ?? 'http://127.0.0.1:54321';

export default {
  output: process.env.CONSUMER_OUTPUT === 'standalone' ? 'standalone' : undefined,
  devIndicators: false,
  async rewrites() {
    return [{ source: '/api/stats/realtime', destination: `${backend}/api/stats/realtime` }];
  },
};
