// Vite build of the console into dist/console; `vite --config src/console/vite.config.ts` proxies the API in development.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const api = process.env['PALISADE_API'] ?? 'http://127.0.0.1:9696';

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)), emptyOutDir: true },
  server: { proxy: { '/v2.0': api, '/_console': api } },
});
