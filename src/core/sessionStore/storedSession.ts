import type { CryptoBackend } from '../encryption/backend.js';
import { sealData, unsealWithIndex } from '../encryption/ironWebcryptoEncryption.js';

/** What a store record holds once opened. */
export interface StoredSession {
  /** The store key the record was written under; a record found under another key is refused. */
  key: string;
  /** The session sealed exactly as a `cookie`-mode cookie would hold it (cookie password). */
  seal: string;
}

interface RecordShape {
  v: 1;
  key: string;
  seal: string;
}

/**
 * Seals a store record with the derived record password (see `SessionIdKeys`): the session seal inside is
 * encrypted a second time, under a key that no cookie is sealed with, so the stored value is useless as a
 * cookie and unreadable without the cookie password.
 */
export function sealStoredSession(record: StoredSession, recordPassword: string, crypto?: CryptoBackend): Promise<string> {
  const shape: RecordShape = { v: 1, key: record.key, seal: record.seal };
  return sealData(shape, { password: recordPassword }, undefined, crypto);
}

/**
 * Opens a store record read under `key`; `undefined` when it does not open under any record password,
 * has another shape, or was written under another key.
 */
export async function openStoredSession(
  value: string,
  key: string,
  recordPasswords: readonly string[],
  crypto?: CryptoBackend,
): Promise<StoredSession | undefined> {
  let opened: unknown;
  try {
    opened = (await unsealWithIndex(value, recordPasswords, undefined, crypto)).data;
  } catch {
    return undefined;
  }
  const shape = opened as Partial<RecordShape> | null;
  if (!shape || shape.v !== 1 || shape.key !== key || typeof shape.seal !== 'string') return undefined;
  return { key, seal: shape.seal };
}
