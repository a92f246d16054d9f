import { beforeEach } from 'vitest';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import type { TestEmulator } from './emulator.js';
import { countingFetch } from './fetchCounter.js';
import { makeService, signIn } from './service.js';

/** The backends the session-cache tests run on, for `describe.each`. */
export const CACHE_BACKENDS = [
  ['webcrypto', createWebCryptoBackend()],
  ['node', nodeCryptoBackend],
] as const;

/** What the backend did since the last reset: the cache is observable by the crypto it saves. */
export interface CryptoCounts {
  /** Seals made (sessions, sign-in states). */
  seals: number;
  /** Seals opened, fully or again from their ticket (node: no key derivation, no MAC check). */
  unseals: number;
  /** Of those, the openings from a ticket. */
  reopens: number;
  /** RS256 checks by the backend (its key's checker, or `verifyRs256`). */
  signatureChecks: number;
}

/**
 * Registers a `beforeEach` that wraps `backend` in a counting one (still doing the real work) and resets
 * the counts; `signedIn` builds a service on it, signs in, and resets the counts after the sign-in.
 */
export function useCountingBackend(backend: CryptoBackend, emulator: () => TestEmulator) {
  const counts: CryptoCounts = { seals: 0, unseals: 0, reopens: 0, signatureChecks: 0 };
  const reset = () => Object.assign(counts, { seals: 0, unseals: 0, reopens: 0, signatureChecks: 0 });
  const context = { counts, counting: backend, signedIn };
  beforeEach(() => {
    reset();
    const { verifyRs256, rs256Checker, reopen } = backend;
    context.counting = {
      ...backend,
      seal: (...args) => {
        counts.seals++;
        return backend.seal(...args);
      },
      unseal: (...args) => {
        counts.unseals++;
        return backend.unseal(...args);
      },
      ...(reopen
        ? {
            reopen: (body: string, ticket: string) => {
              counts.unseals++;
              counts.reopens++;
              return reopen(body, ticket);
            },
          }
        : {}),
      ...(verifyRs256
        ? {
            verifyRs256: (key: CryptoKey, input: string, signature: Uint8Array) => {
              counts.signatureChecks++;
              return verifyRs256(key, input, signature);
            },
          }
        : {}),
      ...(rs256Checker
        ? {
            rs256Checker: (key: object) => {
              const check = rs256Checker(key);
              return (
                check &&
                ((token: string) => {
                  counts.signatureChecks++;
                  return check(token);
                })
              );
            },
          }
        : {}),
    };
  });

  /** A signed-in service and cookie, with the counts reset after sign-in. */
  async function signedIn(extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
    const em = emulator();
    const counter = countingFetch();
    const harness = makeService(em.port, em.apiKey, extra, { fetch: counter.fetch, crypto: context.counting, ...options } as never);
    const { cookie } = await signIn(harness.service);
    reset();
    counter.requests.length = 0;
    return { ...harness, counter, cookie };
  }
  return context;
}
