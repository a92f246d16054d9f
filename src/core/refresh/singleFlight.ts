import type { Clock } from '../clock.js';
import { TokenRefreshError } from '../errors.js';
import { emit, type AuthKitEventHandler } from '../events.js';
import { ExpiringMap } from '../lib/expiringMap.js';
import { sha256Hex } from './digest.js';
import { MemoryRefreshResultCache, type CachedRefresh, type RefreshResultCache } from './RefreshResultCache.js';
import type { RefreshedTokens, RefreshRequest, RefreshStrategy } from './types.js';

export interface SingleFlightOptions {
  /** Spends the token once for a key (see {@link RefreshStrategy}). */
  run: RefreshStrategy;
  clock: Clock;
  /** How long an outcome is reused for requests carrying the old refresh token, in milliseconds. */
  graceMs: number;
  /** Recent outcomes by (refresh token, organization). Default in-memory. */
  cache?: RefreshResultCache<RefreshedTokens> | undefined;
  onEvent?: AuthKitEventHandler | undefined;
}

/**
 * In-process single flight over a {@link RefreshStrategy}: concurrent refreshes of the same (refresh token,
 * organization) share one promise, and for `graceMs` afterwards requests still carrying the old token get
 * the same outcome (terminal failures included; transient ones are never remembered). A refresh of a token
 * being (or just) spent for another organization waits for that rotation and refreshes the rotated token.
 */
export class SingleFlight {
  private readonly inflight = new Map<string, Promise<RefreshedTokens>>();
  /** Flights and recent results by refresh token alone, whatever the organization. */
  private readonly tokenFlights = new Map<string, Promise<RefreshedTokens>>();
  private readonly tokenResults = new ExpiringMap<RefreshedTokens>();
  private readonly cache: RefreshResultCache<RefreshedTokens>;

  constructor(private readonly options: SingleFlightOptions) {
    this.cache = options.cache ?? new MemoryRefreshResultCache();
  }

  /** @throws TokenRefreshError `refresh_rejected` (terminal) or `refresh_unavailable` (transient, `retryable`). */
  async refresh(request: RefreshRequest): Promise<RefreshedTokens> {
    const { clock, onEvent } = this.options;
    // Both digests first: from here to registering the flight nothing may await, or concurrent calls race.
    const [key, tokenKey] = await Promise.all([
      sha256Hex(`${request.refreshToken}\0${request.organizationId ?? ''}`),
      sha256Hex(request.refreshToken),
    ]);
    const now = clock();
    const cached = this.cache.get(key, now);
    if (cached) {
      if (!cached.ok) throw cached.error;
      emit(onEvent, { type: 'refresh.reused', ageMs: now - cached.at });
      return cached.value;
    }
    const running = this.inflight.get(key);
    if (running) {
      const value = await running;
      emit(onEvent, { type: 'refresh.coalesced', durationMs: clock() - now });
      return value;
    }
    // The same refresh token is being (or was just) spent for another organization, e.g. an organization
    // switch racing a plain refresh: wait for that rotation, then refresh the rotated token instead.
    const recent = this.tokenResults.get(tokenKey, now);
    const other = this.tokenFlights.get(tokenKey) ?? (recent ? Promise.resolve(recent) : undefined);
    if (other) return this.refresh({ ...request, refreshToken: (await other).refreshToken });

    const flight = this.remember(key, request);
    this.inflight.set(key, flight);
    this.tokenFlights.set(tokenKey, flight);
    try {
      const value = await flight;
      this.tokenResults.set(tokenKey, value, this.options.graceMs, clock());
      return value;
    } finally {
      this.inflight.delete(key);
      this.tokenFlights.delete(tokenKey);
    }
  }

  /** Runs the strategy and remembers a success or a terminal failure for the grace window. */
  private async remember(key: string, request: RefreshRequest): Promise<RefreshedTokens> {
    const { clock, graceMs } = this.options;
    const keep = (entry: CachedRefresh<RefreshedTokens>) => this.cache.set(key, entry, graceMs, entry.at);
    try {
      const value = await this.options.run(key, request);
      keep({ ok: true, value, at: clock() });
      return value;
    } catch (error) {
      if (error instanceof TokenRefreshError && !error.retryable) keep({ ok: false, error, at: clock() });
      throw error;
    }
  }
}
