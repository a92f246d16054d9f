import { Buffer } from 'node:buffer';
import { createHash, KeyObject, verify, type webcrypto } from 'node:crypto';
import type { CryptoBackend } from './backend.js';
import { sealNode, unsealNode } from './ironNode.node.js';
import { compactTicket, reopenNode } from './ironTicket.node.js';
import { fastJwtRs256Checker } from './rs256Checker.node.js';

/**
 * The Node backend, passed by the package's `node` entry: synchronous `node:crypto` for iron and SHA-256,
 * and RS256 by fast-jwt's synchronous verifier (one per key, kept by the verifier), where WebCrypto would
 * cost a thread-pool round trip per operation; seal tickets let the session cache open a seal it has seen
 * without key derivation or MAC check. jose's WebCrypto keys are used through their own `KeyObject`
 * (`KeyObject.from` returns the one the key wraps: no copy, no cache).
 */
export const nodeCryptoBackend: CryptoBackend = {
  name: 'node',
  sha256Hex: (value) => createHash('sha256').update(value, 'utf8').digest('hex'),
  seal: sealNode,
  unseal: unsealNode,
  reopen: reopenNode,
  compactTicket,
  rs256Checker: fastJwtRs256Checker,
  /** Used only where no checker could be made for a key (and by the Deno backend's fallback). */
  verifyRs256(key, signingInput, signature) {
    try {
      return verify('sha256', Buffer.from(signingInput, 'latin1'), KeyObject.from(key as webcrypto.CryptoKey), signature);
    } catch {
      return undefined;
    }
  },
};
