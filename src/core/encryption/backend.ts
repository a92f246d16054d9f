import type { SealParts } from './canonical.js';

/**
 * The cryptography on the `withAuth` hot path, per runtime. The default is WebCrypto only (Workers, Deno,
 * Bun, browsers); the package's `node` export condition passes a `node:crypto` backend that is
 * byte-for-byte compatible and much faster, because iron's one-iteration PBKDF2 and RS256 checks are
 * cheap synchronous calls there but thread-pool round trips through WebCrypto.
 */
export interface CryptoBackend {
  /** Short name for diagnostics: `webcrypto` or `node`. */
  readonly name: string;
  /** Lower-case hex SHA-256 of a string's UTF-8 bytes; synchronous where the runtime allows it. */
  sha256Hex(value: string): string | Promise<string>;
  /**
   * iron `seal` with the `wos-session` parameters (iron defaults, password id `1`), without the `~2` suffix.
   * `ttlMs` 0 writes no expiry; otherwise the seal expires `ttlMs` after `nowMs` (the injected clock).
   * @throws Error with iron-webcrypto's message (e.g. a password under 32 characters).
   */
  seal(data: unknown, password: string, ttlMs: number, nowMs: number): Promise<string>;
  /**
   * iron `unseal` of a seal body (no `~` suffix) under password id `1`, expiry judged at `nowMs`;
   * synchronous where possible. `parts` is the body already split at `*` (exactly eight), when the caller
   * has it, so the seal is parsed once.
   * `onTicket`, when given, receives the seal's ticket if this backend makes them (see {@link reopen}).
   * @throws Error with iron-webcrypto's message (`Bad hmac value`, `Expired seal`, …).
   */
  unseal(body: string, password: string, nowMs: number, parts?: SealParts, onTicket?: (ticket: string) => void): unknown;
  /**
   * Opens again a seal this backend opened before, from the ticket `unseal` gave for it (or its
   * {@link compactTicket}): the seal itself, or its digest, and its decryption key, so no key derivation
   * and no MAC check. `undefined` unless `body` is byte for byte that seal (equal to the one the ticket
   * holds, or of the same SHA-256) and decrypts to JSON. Present only where hashing is synchronous and
   * cheaper than the MAC check it replaces. The caller keeps the ticket only as long as the seal is trusted
   * (iron's expiry is not checked again: session seals carry none).
   */
  reopen?(body: string, ticket: string): unknown;
  /**
   * The small form of a ticket `unseal` gave (which holds the whole seal, so a first sight costs no
   * digest): a fixed-size ticket that {@link reopen} accepts alike. Present with `reopen`.
   */
  compactTicket?(ticket: string): string;
  /**
   * RSASSA-PKCS1-v1_5 SHA-256 signature check of an ASCII signing input, synchronous where the runtime
   * allows it; the caller checks the claims itself, without jose's second decoding of the token.
   * `undefined` when this backend cannot check with that key (the caller then verifies through jose).
   * Absent: always verify through jose. `key` is the WebCrypto `CryptoKey` jose imported from the JWKS,
   * typed as `object` so these declarations compile without DOM types.
   */
  verifyRs256?(key: object, signingInput: string, signature: Uint8Array): boolean | undefined | Promise<boolean | undefined>;
  /**
   * A checker of RS256 signatures under one key (the `CryptoKey` jose imported), made once per key and
   * kept by the verifier; used instead of `verifyRs256` where present. `check(token)` is whether the
   * compact JWS `token`, whose header the caller has checked (RS256, no `crit`, no `b64`), carries a valid
   * signature; `undefined` when it cannot tell (the caller then verifies through jose). Returns `undefined`
   * when it cannot check with that key.
   */
  rs256Checker?(key: object): ((token: string) => boolean | undefined) | undefined;
}
