import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// findBy* and waitFor wait for what they look for; a busy 2-core CI machine can take longer than the
// library's default second to render a screen, and waiting longer costs nothing when it is quick.
configure({ asyncUtilTimeout: 10_000 });

// The test files share one module graph and one DOM per worker (vite.config.ts: isolate false), so whatever a test may
// leave behind is put back here.
afterEach(() => {
  cleanup();
  vi.useRealTimers();
  localStorage.clear();
  sessionStorage.clear();
  // Screens keep their filters in the address; each test starts from the console's front page.
  window.history.replaceState(null, '', '/');
  for (const cookie of document.cookie.split(';')) {
    const name = cookie.split('=')[0]?.trim();
    if (name) {
      document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`;
    }
  }
});
