import { createRemoteJWKSet, customFetch, type JWTVerifyGetKey } from 'jose';

/** The JWKS options the verifier passes to jose (see `AccessTokenVerifier`). */
export interface RemoteKeysOptions {
  timeoutMs: number;
  cooldownMs: number;
  maxAgeMs: number;
  fetch?: typeof fetch | undefined;
}

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;

/** Error codes of a connection closed under a request (Node's sockets and undici's pool). */
const DROPPED_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/** Whether a fetch failed because its connection was closed under it (`fetch failed`, caused by a reset). */
function droppedConnection(error: unknown): boolean {
  const code =
    error instanceof Error && typeof error.cause === 'object' && error.cause !== null
      ? (error.cause as { code?: unknown }).code
      : undefined;
  return typeof code === 'string' && DROPPED_CONNECTION_CODES.has(code);
}

/**
 * jose's remote key set, with what `prepare` makes of each key it gives (for RS256: the key and its
 * checker) remembered by `kid`, so a token's check starts without an asynchronous lookup. A remembered
 * key is only used while jose's own copy of the set is fresh (younger than `maxAgeMs`) and has not been
 * fetched again since: every fetch (a stale set, an unknown `kid` past the cooldown) forgets them all, so
 * rotation and removal take effect exactly when they do in jose. Everything else (unknown kids, cooldown,
 * timeouts, errors) is jose's `keys` function, called as `jwtVerify` calls it. One per verifier, so per
 * core; it holds at most the keys of one key set.
 */
export class KeysByKid<Prepared extends object> {
  /** The function jose's `jwtVerify` takes. */
  readonly keys: JWTVerifyGetKey;
  private readonly remote: RemoteKeys;
  private readonly byKid = new Map<string, Prepared>();
  /** What `prepare` made of each key, so a key is prepared once even when its kid is not remembered. */
  private readonly prepared = new WeakMap<object, Prepared | null>();
  /** Bumped by every JWKS fetch: a lookup that overlapped one does not remember its key. */
  private fetches = 0;

  constructor(
    url: string,
    options: RemoteKeysOptions,
    private readonly prepare: (key: unknown) => Prepared | undefined,
  ) {
    const fetchImpl = options.fetch;
    const send: typeof fetch = (input, init) => (fetchImpl ? fetchImpl(input, init) : fetch(input, init));
    const counted: typeof fetch = (input, init) => {
      this.fetches++;
      this.byKid.clear();
      // A kept-alive connection the server has dropped fails the request sent over it with a reset; the
      // same GET goes out once more, on a new connection, before jose sees a failure.
      return send(input, init).catch((error: unknown) => {
        if (!droppedConnection(error) || init?.signal?.aborted) throw error;
        return send(input, init);
      });
    };
    this.remote = createRemoteJWKSet(new URL(url), {
      timeoutDuration: options.timeoutMs,
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: options.maxAgeMs,
      [customFetch]: counted,
    });
    this.keys = this.remote;
  }

  /** What was prepared for `kid`'s key in jose's current, fresh key set; `undefined` when there is none. */
  known(kid: unknown): Prepared | undefined {
    if (typeof kid !== 'string') return undefined;
    const found = this.byKid.get(kid);
    return found !== undefined && this.remote.fresh ? found : undefined;
  }

  /**
   * Asks jose for the key of a token (it may fetch the set) and returns what `prepare` makes of it
   * (`undefined`: not a key the caller checks with), remembered under the header's `kid` unless a fetch
   * overlapped the lookup (one in flight when it began, or begun since: the key may come from the set
   * being replaced).
   * @throws what jose's key lookup throws (no matching key, timeout, fetch failure).
   */
  async lookUp(
    header: { alg: string; kid?: unknown },
    token: { payload: string; signature: string; protected: string },
  ): Promise<Prepared | undefined> {
    const before = this.remote.reloading ? -1 : this.fetches;
    const key = await this.remote(header as { alg: string; kid?: string }, token);
    if (typeof key !== 'object' || key === null) return undefined;
    let found = this.prepared.get(key);
    if (found === undefined) {
      found = this.prepare(key) ?? null;
      this.prepared.set(key, found);
    }
    if (found && typeof header.kid === 'string' && before === this.fetches && !this.remote.reloading) {
      this.byKid.set(header.kid, found);
    }
    return found ?? undefined;
  }
}
