import { defineConfig } from 'vitest/config';

/** `npm run test:e2e`: the demo driven in Debian's Chromium (see test/e2e/). Steps share one browser, in order. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
