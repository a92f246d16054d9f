import { DEFAULT_MAX_PARTS } from '../core/session/chunks.js';
import { CheckSkipped, type KitContext } from './context.js';
import { DEFAULT_CONFIG } from './fixtures.js';
import { COOKIE_CHECKS } from './cookieChecks.js';
import { FAILURE_CHECKS } from './failureChecks.js';
import { MIDDLEWARE_CHECKS } from './middlewareChecks.js';
import { STORAGE_CHECKS, type CheckDefinition } from './storageChecks.js';
import type { AdapterUnderTest, ConformanceOptions, ConformanceResult } from './types.js';

const CHECKS: readonly CheckDefinition[] = [...STORAGE_CHECKS, ...COOKIE_CHECKS, ...MIDDLEWARE_CHECKS, ...FAILURE_CHECKS];

/** Names of every check, in the order they run. */
export const CONFORMANCE_CHECKS: readonly string[] = Object.freeze(CHECKS.map((check) => check.name));

function contextFor<TRequest, TResponse, TService>(
  adapter: AdapterUnderTest<TRequest, TResponse, TService>,
  options: ConformanceOptions<TRequest, TService>,
): KitContext<TRequest, TResponse, TService> {
  const config = options.config ?? DEFAULT_CONFIG;
  const parts = Number(config.cookieMaxParts ?? DEFAULT_MAX_PARTS);
  return {
    adapter,
    options,
    config,
    name: config.cookieName || 'wos-session',
    maxParts: Number.isInteger(parts) && parts >= 1 ? parts : DEFAULT_MAX_PARTS,
  };
}

async function runCheck(check: CheckDefinition, ctx: KitContext<unknown, unknown, unknown>): Promise<ConformanceResult> {
  try {
    return { name: check.name, ok: true, detail: await check.run(ctx) };
  } catch (error) {
    if (error instanceof CheckSkipped) return { name: check.name, ok: true, skipped: true, detail: `skipped: ${error.message}` };
    const message = error instanceof Error ? `${error.name === 'CheckFailure' ? '' : `${error.name}: `}${error.message}` : String(error);
    return { name: check.name, ok: false, detail: message };
  }
}

/**
 * Runs the adapter conformance suite: `Set-Cookie` lines kept separate, sessions over 4 KB split and read
 * back, stale parts deleted, clearing, cache headers, cookie attributes (HttpOnly, Secure, SameSite,
 * Path), `getCookie` URL-decoding and first-duplicate-wins, and, given a middleware and a service,
 * refreshed sessions persisted, terminal failures cleared, route cookies winning, authenticated pages
 * private, and (with `transientService`) the cookie kept while WorkOS is unavailable. A middleware harness
 * that reports no response headers fails.
 * Works in any test runner: resolves with one result per check.
 * @throws AggregateError listing the failed checks, when `options.throwOnFailure` is set.
 *
 * @example
 * const results = await runAdapterConformance({
 *   makeStorage: (config) => new MyStorage(config),
 *   makeRequest: (cookies) => new Request('https://app.example/', { headers: { cookie: toHeader(cookies) } }),
 *   makeResponse: () => new Response(null),
 *   readSetCookies: (response) => response.headers.getSetCookie(),
 *   readHeader: (response, name) => response.headers.get(name),
 * }, { throwOnFailure: true });
 */
export async function runAdapterConformance<TRequest, TResponse, TService = unknown>(
  adapter: AdapterUnderTest<TRequest, TResponse, TService>,
  options: ConformanceOptions<TRequest, TService> = {},
): Promise<ConformanceResult[]> {
  const ctx = contextFor(adapter, options) as KitContext<unknown, unknown, unknown>;
  const results: ConformanceResult[] = [];
  for (const check of CHECKS) results.push(await runCheck(check, ctx));
  const failed = results.filter((result) => !result.ok);
  if (options.throwOnFailure && failed.length > 0) {
    throw new AggregateError(
      failed.map((result) => new Error(`${result.name}: ${result.detail}`)),
      `${adapter.name ?? 'adapter'} failed ${failed.length} of ${results.length} conformance checks:\n${failed.map((r) => `- ${r.name}: ${r.detail}`).join('\n')}`,
    );
  }
  return results;
}

/** What {@link describeAdapterConformance} needs from the test runner (vitest, jest, bun:test). */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: (...args: unknown[]) => Promise<void>, timeout?: number): unknown;
}

/** What the setup of {@link describeAdapterConformance} provides. */
export interface ConformanceSubject<TRequest, TResponse, TService = unknown> {
  adapter: AdapterUnderTest<TRequest, TResponse, TService>;
  options?: ConformanceOptions<TRequest, TService>;
}

/**
 * Registers one test per conformance check with your test runner. `setup` runs once, on the first test,
 * so it can use what `beforeAll` started. A skipped check is reported skipped where the runner's test
 * context has `skip()` (vitest), otherwise passes.
 *
 * @example
 * import { describe, it } from 'vitest';
 * describeAdapterConformance('MyStorage', () => ({ adapter: myAdapter }), { describe, it });
 */
export function describeAdapterConformance<TRequest, TResponse, TService = unknown>(
  name: string,
  setup: () => ConformanceSubject<TRequest, TResponse, TService> | Promise<ConformanceSubject<TRequest, TResponse, TService>>,
  runner: TestRunner,
  timeoutMs = 20_000,
): void {
  let subject: Promise<KitContext<unknown, unknown, unknown>> | undefined;
  const context = () =>
    (subject ??= Promise.resolve(setup()).then(
      ({ adapter, options }) => contextFor(adapter, options ?? {}) as KitContext<unknown, unknown, unknown>,
    ));
  runner.describe(`${name}: adapter conformance`, () => {
    for (const check of CHECKS) {
      // A rest parameter keeps the arity 0, so jest does not wait for a `done` callback.
      runner.it(
        check.name,
        async (...args: unknown[]) => {
          const result = await runCheck(check, await context());
          if (!result.ok) throw new Error(result.detail);
          const test = args[0] as { skip?: (note?: string) => void } | undefined;
          if (result.skipped && typeof test?.skip === 'function') test.skip(result.detail);
        },
        timeoutMs,
      );
    }
  });
}
