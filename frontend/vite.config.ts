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
    // A bound on a stuck test, not a speed target: screens render slowly on a busy CI machine.
    testTimeout: 30_000,
  },
});
