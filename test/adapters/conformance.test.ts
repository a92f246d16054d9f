import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_CHECKS, describeAdapterConformance, runAdapterConformance } from '../../src/testing/index.js';
import { configFor } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { expiredCookie, fetchAdapter, honoAdapter, honoApp, nodeAdapter, services, startNodeServer } from './harness.js';

const ctx = useEmulator();
let node: Awaited<ReturnType<typeof startNodeServer>>;
let shared: ReturnType<typeof services>;

beforeAll(async () => {
  shared = services(configFor(ctx.em.port, ctx.em.apiKey));
  node = await startNodeServer(shared.node);
});
afterAll(async () => {
  await node?.close();
});

function options() {
  return { config: configFor(ctx.em.port, ctx.em.apiKey), expiredCookie: () => expiredCookie(ctx.em.port, ctx.em.apiKey) };
}

describeAdapterConformance(
  'FetchSessionStorage + withAuthHandler',
  () => ({ adapter: fetchAdapter, options: { ...options(), service: shared.fetch } }),
  { describe, it },
);
describeAdapterConformance(
  'NodeSessionStorage + authkitMiddleware',
  () => ({ adapter: nodeAdapter(node.url), options: { ...options(), service: shared.node } }),
  { describe, it },
);
describeAdapterConformance(
  'Hono authkit()',
  () => ({ adapter: honoAdapter(honoApp(shared.fetch)), options: { ...options(), service: shared.fetch } }),
  { describe, it },
);

describe('runAdapterConformance', () => {
  it('runs every check against each shipped adapter: all pass, none skipped', async () => {
    const adapters = [
      [fetchAdapter, shared.fetch],
      [nodeAdapter(node.url), shared.node],
      [honoAdapter(honoApp(shared.fetch)), shared.fetch],
    ] as const;
    for (const [adapter, service] of adapters) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const results = await runAdapterConformance(adapter as any, { ...options(), service: service as any, throwOnFailure: true });
      expect(results.map((r) => r.name)).toEqual(CONFORMANCE_CHECKS);
      expect(
        results.filter((r) => !r.ok || r.skipped),
        adapter.name,
      ).toEqual([]);
    }
  }, 30_000);

  it('without middleware or service, runs the storage checks and skips the middleware ones', async () => {
    const results = await runAdapterConformance({ ...fetchAdapter, middleware: undefined });
    const skipped = results.filter((r) => r.skipped).map((r) => r.name);
    expect(skipped).toEqual(CONFORMANCE_CHECKS.filter((name) => name.startsWith('middleware:')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.find((r) => r.skipped)?.detail).toBe('skipped: no adapter.middleware given');
  });
});
