/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    unstubGlobals: true,
    // One jsdom and one module graph per worker rather than per test file: the whole run takes 20 CPU-seconds instead of
    // 190, most of which went to setting up jsdom 43 times. src/test/setup.ts resets what a test could leave behind.
    isolate: false,
    // A bound on a stuck test, not a speed target: screens render slowly on a busy CI machine.
    testTimeout: 30_000,
  },
});
