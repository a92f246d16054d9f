import type { WorkOSPort } from './client/port.js';
import { workosRefreshCall } from './client/refresh.js';
import type { ResolvedConfig } from './config/resolve.js';
import { StoreGuard } from './coordination/guard.js';
import { Revocations, revocationTtlSeconds } from './coordination/revocations.js';
import { SingleUse } from './coordination/singleUse.js';
import { SessionCache } from './cache/SessionCache.js';
import { resolveDeps, type CoreDeps } from './deps.js';
import { AccessTokenVerifier } from './jwt/verifier.js';
import type { AuthKitCoreOptions } from './options.js';
import { RefreshCoordinator } from './refresh/RefreshCoordinator.js';
import { SharedResultSealer } from './refresh/sharedResult.js';
import { SessionSealer } from './session/sealer.js';
import type { SessionEncryption } from './session/types.js';
import { lifetimePolicy } from '../control/lifetime.js';
import { SessionControl } from '../control/SessionControl.js';

/** The units a core is made of, built once by {@link createCore} and handed to the functions that use them. */
export interface CoreParts {
  readonly config: ResolvedConfig;
  readonly deps: CoreDeps;
  readonly sealer: SessionSealer;
  readonly verifier: AccessTokenVerifier;
  readonly refresher: RefreshCoordinator;
  readonly revocations: Revocations;
  readonly singleUse: SingleUse;
  /** Lifetimes and webhook/sign-out-everywhere marks, checked on every request. */
  readonly control: SessionControl;
  /** Verified sessions by cookie; `undefined` when `sessionCacheMaxEntries` or `sessionCacheMaxBytes` is 0. */
  readonly sessionCache: SessionCache | undefined;
}

/**
 * The composition root of the core: resolves the dependencies once (clock, sleep, fetch, WorkOS, crypto,
 * coordination, events) and wires every unit from them and the resolved configuration.
 * @param encryption a custom session encryption; default iron on `deps.crypto`.
 */
export function createCore(
  config: ResolvedConfig,
  workos: WorkOSPort,
  encryption: SessionEncryption | undefined,
  options: AuthKitCoreOptions,
): CoreParts {
  const deps = resolveDeps(workos, options);
  const { clock, onEvent, coordination: store } = deps;
  const guard = new StoreGuard(options.coordinationTimeoutMs ?? 250, onEvent, clock);
  const { sessionCacheMaxEntries: maxEntries, sessionCacheMaxBytes: maxBytes } = config;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 2_000;
  const graceMs = config.refreshGraceSeconds * 1000;
  const sharedResults = new SharedResultSealer(config.cookiePasswords, clock);
  return {
    config,
    deps,
    sealer: new SessionSealer(config.cookiePasswords, deps, encryption),
    verifier: new AccessTokenVerifier({
      jwksUrl: `${config.apiBaseUrl}/sso/jwks/${encodeURIComponent(config.clientId)}`,
      issuer: config.issuer,
      clientId: config.clientId,
      clockToleranceSeconds: config.clockToleranceSeconds,
      clock,
      fetch: deps.fetch,
      timeoutMs: config.apiTimeoutMs,
      crypto: deps.crypto,
    }),
    refresher: new RefreshCoordinator({
      call: workosRefreshCall(deps, config.clientId),
      clock,
      sleep: deps.sleep,
      graceMs,
      onEvent,
      store,
      seal: (tokens, key) => sharedResults.seal(tokens, key, graceMs),
      open: (sealed, key) => sharedResults.open(sealed, key),
      leaseMs: 2 * config.apiTimeoutMs + maxRetryWaitMs + 1_000,
      maxRetryWaitMs,
      maxRateLimitBackoffMs: options.maxRateLimitBackoffMs,
      guard,
      ...(options.refreshCache ? { cache: options.refreshCache } : {}),
    }),
    revocations: new Revocations({
      store,
      guard,
      clock,
      onEvent,
      defaultTtlMs: revocationTtlSeconds(config, options.revocationTtlSeconds) * 1000,
      capacity: options.revocationCapacity,
    }),
    singleUse: new SingleUse(store, guard, clock),
    control: new SessionControl({ store, guard, clock, policy: lifetimePolicy(config), onEvent }),
    sessionCache:
      maxEntries > 0 && maxBytes > 0 ? new SessionCache({ maxEntries, maxBytes }, deps.crypto.compactTicket?.bind(deps.crypto)) : undefined,
  };
}
