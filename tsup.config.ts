import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', fetch: 'src/adapters/fetch.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
  external: ['@workos-inc/node'],
});
