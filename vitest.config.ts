import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'webcrypto',
          include: ['test/**/*.test.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
        },
      },
      {
        // The library's own behaviour again on the node:crypto backend (the Node entry's default).
        extends: true,
        test: {
          name: 'node-crypto',
          include: ['test/{core,security,session,refresh,service,operations,fuzz,cache}/**/*.test.ts'],
          setupFiles: ['test/helpers/nodeCrypto.setup.ts'],
        },
        // The default backend module, whatever relative path imports it, is the node:crypto one here.
        resolve: {
          alias: [
            {
              find: /^.*\/defaultBackend\.js$/,
              replacement: fileURLToPath(new URL('./test/helpers/nodeDefaultBackend.ts', import.meta.url)),
            },
          ],
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.d.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, functions: 90, statements: 90, branches: 80 },
    },
  },
});
