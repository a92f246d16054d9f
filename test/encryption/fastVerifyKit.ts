/**
 * The shared set-up of the RS256 fast-path tests (fastVerify*.test.ts): a JWKS key set, a foreign one, a token
 * crafter, and a node backend that records what its RS256 checks answered. `useFastVerify()` registers the hooks.
 */
import { KeyObject, sign } from 'node:crypto';
import { afterEach, beforeAll, expect } from 'vitest';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import type { VerifyOutcome } from '../../src/core/jwt/verifier.js';
import { makeKeySet, testVerifier } from '../helpers/keys.js';

export const ISSUER = 'https://api.workos.com';
export const CLIENT = 'client_fast';
const now = Date.now();
export const s = Math.floor(now / 1000);
export const header = { alg: 'RS256', kid: 'test-key', typ: 'JWT' };
export const claims = { sub: 'user_1', sid: 'session_1', iss: ISSUER, aud: CLIENT, iat: s, exp: s + 300 };
export const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

type KeySet = Awaited<ReturnType<typeof makeKeySet>>;

/** What {@link useFastVerify} returns. */
export interface FastVerifyKit {
  keys: KeySet;
  foreign: KeySet;
  signer: KeyObject;
  fastChecks: boolean[];
  countingNode: CryptoBackend;
  verifier(fetchImpl?: typeof fetch, crypto?: CryptoBackend): ReturnType<typeof testVerifier>;
  craft(tokenHeader: unknown, payload: unknown, key?: KeyObject): string;
  sameOutcome(token: string, options?: { fresh?: boolean }): Promise<VerifyOutcome>;
}

/** Registers the hooks; returns the kit, whose `keys`, `foreign` and `fastChecks` are set by them. */
export function useFastVerify(): FastVerifyKit {
  const kit: FastVerifyKit = {
    keys: undefined as unknown as KeySet,
    foreign: undefined as unknown as KeySet,
    signer: undefined as unknown as KeyObject,
    /** What the counting backend's RS256 checks answered, in order (reset after each test). */
    fastChecks: [] as boolean[],
    /** The node backend, recording what its RS256 checks (fast-jwt's, per key; node:crypto's as fallback) answered. */
    countingNode: undefined as unknown as CryptoBackend,
    verifier(fetchImpl?: typeof fetch, crypto: CryptoBackend = createWebCryptoBackend()) {
      return testVerifier(CLIENT, { fetch: fetchImpl ?? kit.keys.fetchWithJwks, clock: () => now, crypto });
    },
    /** A token with any header and payload (objects are JSON-encoded), RS256-signed with the JWKS key. */
    craft(tokenHeader: unknown, payload: unknown, key: KeyObject = kit.signer): string {
      const encode = (part: unknown) => b64(typeof part === 'string' || Buffer.isBuffer(part) ? part : JSON.stringify(part));
      const input = `${encode(tokenHeader)}.${encode(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
    },
    /** Verifies with a fresh verifier under each backend; both must agree. Returns the outcome. */
    async sameOutcome(token: string, options: { fresh?: boolean } = {}): Promise<VerifyOutcome> {
      const web = await kit.verifier().verify(token, options);
      const node = await kit.verifier(kit.keys.fetchWithJwks, kit.countingNode).verify(token, options);
      expect(node).toEqual(web);
      return web;
    },
  };
  kit.countingNode = {
    ...nodeCryptoBackend,
    rs256Checker(key) {
      const check = nodeCryptoBackend.rs256Checker?.(key);
      return (
        check &&
        ((token) => {
          const result = check(token);
          kit.fastChecks.push(result === true);
          return result;
        })
      );
    },
    verifyRs256(key, input, signature) {
      const result = nodeCryptoBackend.verifyRs256?.(key, input, signature);
      kit.fastChecks.push(result === true);
      return result;
    },
  };
  beforeAll(async () => {
    kit.keys = await makeKeySet();
    kit.foreign = await makeKeySet('test-key');
    kit.signer = KeyObject.from(kit.keys.privateKey);
  });
  afterEach(() => {
    kit.fastChecks = [];
  });
  return kit;
}
