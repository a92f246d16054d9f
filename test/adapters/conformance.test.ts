import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_CHECKS, describeAdapterConformance, runAdapterConformance } from '../../src/testing/index.js';
import { configFor } from '../helpers/emulator.js';
import { FaultProxy } from '../helpers/faultProxy.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { expiredCookie, fetchAdapter, honoAdapter, honoApp, nodeAdapter, services, startNodeServer } from './harness.js';

const ctx = useEmulator();
let node: Awaited<ReturnType<typeof startNodeServer>>;
let transientNode: Awaited<ReturnType<typeof startNodeServer>>;
let shared: ReturnType<typeof services>;
/** The same services behind a fault proxy that answers every token refresh with 503. */
let unavailable: ReturnType<typeof services>;
let proxy: FaultProxy;

beforeAll(async () => {
  shared = services(configFor(ctx.em.port, ctx.em.apiKey));
  proxy = await new FaultProxy(ctx.em.port).start();
  proxy.rules = [{ fault: { kind: 'status', status: 503 } }];
  unavailable = services(configFor(proxy.port, ctx.em.apiKey));
  node = await startNodeServer(shared.node);
  transientNode = await startNodeServer(unavailable.node);
});
afterAll(async () => {
  await node?.close();
  await transientNode?.close();
  await proxy?.close();
});

function options() {
  return { config: configFor(ctx.em.port, ctx.em.apiKey), expiredCookie: () => expiredCookie(ctx.em.port, ctx.em.apiKey) };
}

const nodeUnderTest = () => nodeAdapter((service) => (service === unavailable.node ? transientNode.url : node.url));
const honoUnderTest = () => honoAdapter((service) => honoApp(service));

describeAdapterConformance(
  'FetchSessionStorage + withAuthHandler',
  () => ({ adapter: fetchAdapter, options: { ...options(), service: shared.fetch, transientService: unavailable.fetch } }),
  { describe, it },
);
describeAdapterConformance(
  'NodeSessionStorage + authkitMiddleware',
  () => ({ adapter: nodeUnderTest(), options: { ...options(), service: shared.node, transientService: unavailable.node } }),
  { describe, it },
);
describeAdapterConformance(
  'Hono authkit()',
  () => ({ adapter: honoUnderTest(), options: { ...options(), service: shared.fetch, transientService: unavailable.fetch } }),
  { describe, it },
);

describe('runAdapterConformance', () => {
  it('runs every check against each shipped adapter: all pass, none skipped', async () => {
    const adapters = [
      [fetchAdapter, shared.fetch, unavailable.fetch],
      [nodeUnderTest(), shared.node, unavailable.node],
      [honoUnderTest(), shared.fetch, unavailable.fetch],
    ] as const;
    for (const [adapter, service, transientService] of adapters) {
      const results = await runAdapterConformance(adapter as never, {
        ...options(),
        service: service as never,
        transientService: transientService as never,
        throwOnFailure: true,
      });
      expect(results.map((r) => r.name)).toEqual(CONFORMANCE_CHECKS);
      expect(
        results.filter((r) => !r.ok || r.skipped),
        adapter.name,
      ).toEqual([]);
    }
  }, 60_000);

  it('without middleware or service, runs the storage checks and skips the middleware ones', async () => {
    const results = await runAdapterConformance({ ...fetchAdapter, middleware: undefined });
    const skipped = results.filter((r) => r.skipped).map((r) => r.name);
    expect(skipped).toEqual(CONFORMANCE_CHECKS.filter((name) => name.startsWith('middleware:')));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.find((r) => r.skipped)?.detail).toBe('skipped: no adapter.middleware given');
  });
});
