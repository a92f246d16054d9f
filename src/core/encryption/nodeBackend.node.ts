import { Buffer } from 'node:buffer';
import { createHash, KeyObject, verify } from 'node:crypto';
import type { CryptoBackend } from './backend.js';
import { sealNode, unsealNode } from './ironNode.node.js';

/** jose hands out WebCrypto keys; their `node:crypto` twins are made once per key. */
const keyObjects = new WeakMap<CryptoKey, KeyObject>();

function keyObject(key: CryptoKey): KeyObject {
  let found = keyObjects.get(key);
  if (!found) {
    found = KeyObject.from(key);
    keyObjects.set(key, found);
  }
  return found;
}

/**
 * The Node backend, installed by the package's `node` entry: synchronous `node:crypto` for iron, SHA-256
 * and RS256, where WebCrypto would cost a thread-pool round trip per operation.
 */
export const nodeCryptoBackend: CryptoBackend = {
  name: 'node',
  sha256Hex: (value) => createHash('sha256').update(value, 'utf8').digest('hex'),
  seal: sealNode,
  unseal: unsealNode,
  verifyRs256(key, signingInput, signature) {
    try {
      return verify('sha256', Buffer.from(signingInput, 'latin1'), keyObject(key), signature);
    } catch {
      return undefined;
    }
  },
};
