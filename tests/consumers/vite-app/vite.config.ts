// The fixture's own settings, none for opsmantik-pulse: React, and the overlay
// route proxied to the test backend (in a real app it is your API's route).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const backend = process.env.VITE_SUPABASE_URL ?? 'http://127.0.0.1:54321';
const proxy = { '/api/stats/realtime': backend };

export default defineConfig({
  plugins: [react()],
  server: { proxy },
  preview: { proxy },
});
