import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts', fetch: 'src/adapters/fetch.ts', redis: 'src/redis/index.ts', node: 'src/adapters/node.node.ts', hono: 'src/adapters/hono.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  // The node entry's declarations need Node's types; the tsconfig keeps them out of runtime-agnostic code.
  dts: { compilerOptions: { types: ['node'] } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
  external: ['@workos-inc/node', 'ioredis', 'hono'],
});
