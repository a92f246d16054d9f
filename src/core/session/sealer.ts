import { canonicalSealParts } from '../encryption/canonical.js';
import { sealData, unsealWithIndex } from '../encryption/ironWebcryptoEncryption.js';
import { SessionEncryptionError } from '../errors.js';
import { emit } from '../events.js';
import type { CoreDeps } from '../deps.js';
import { isSession } from './schema.js';
import type { Session, SessionEncryption } from './types.js';

/** The version suffix of every session seal (see `canonicalSealParts`). */
const VERSION_SUFFIX = '~2';

/** A session opened from a cookie, and which password (index, 0 = current) opened it. */
export interface OpenedSession {
  session: Session;
  passwordIndex: number;
  /** The seal's ticket (see {@link SessionSealer.reopen}), when asked for and the backend makes them. */
  ticket?: string;
}

/**
 * Seals and opens session cookies with password rotation (the first password seals, every one opens).
 * The one place where iron's failures become error codes: any failure to open is `session_decryption_failed`,
 * an opened value that is not a session is `session_malformed`, a failure to seal is `session_encryption_failed`.
 * Only canonical seals are opened (see `canonicalSealParts`); without a custom {@link SessionEncryption},
 * iron runs on the injected backend and clock with the seal parsed once.
 */
export class SessionSealer {
  constructor(
    private readonly passwords: readonly string[],
    private readonly deps: Pick<CoreDeps, 'crypto' | 'clock' | 'onEvent'>,
    private readonly encryption?: SessionEncryption,
  ) {}

  /**
   * Seals a session with the current password.
   * @throws SessionEncryptionError `session_encryption_failed`.
   */
  async seal(session: Session): Promise<string> {
    const options = { password: this.passwords[0] as string, ttl: 0 };
    try {
      if (this.encryption) return await this.encryption.sealData(session, options);
      return await sealData(session, options, this.deps.clock(), this.deps.crypto);
    } catch (error) {
      throw new SessionEncryptionError('Failed to encrypt session', error, 'session_encryption_failed');
    }
  }

  /**
   * Opens and shape-checks a session cookie; with `wantTicket`, also returns the seal's ticket when the
   * current password opened it and the backend makes tickets.
   * @throws SessionEncryptionError `session_decryption_failed` (not a seal this server can open) or
   *   `session_malformed` (opened, but not a session).
   */
  async open(sealed: string, wantTicket = false): Promise<OpenedSession> {
    let opened: { data: unknown; passwordIndex: number };
    const result: Partial<OpenedSession> = {};
    try {
      opened = await this.unseal(sealed, wantTicket ? (ticket) => (result.ticket = ticket) : undefined);
    } catch (error) {
      throw new SessionEncryptionError('Failed to decrypt session', error, 'session_decryption_failed');
    }
    if (!isSession(opened.data)) throw new SessionEncryptionError('Decrypted value is not a session', undefined, 'session_malformed');
    if (opened.passwordIndex > 0) emit(this.deps.onEvent, { type: 'session.opened', passwordIndex: opened.passwordIndex });
    result.session = opened.data;
    result.passwordIndex = opened.passwordIndex;
    return result as OpenedSession;
  }

  /**
   * The session of `sealed` when it is byte for byte the seal `ticket` came from (see {@link open}):
   * decrypted again without key derivation or MAC check. `undefined` for any other cookie, or without
   * tickets (a custom {@link SessionEncryption}, or a backend without them).
   */
  reopen(sealed: string, ticket: string): Session | undefined {
    if (this.encryption || !this.deps.crypto.reopen || !sealed.endsWith(VERSION_SUFFIX)) return undefined;
    const data = this.deps.crypto.reopen(sealed.slice(0, -VERSION_SUFFIX.length), ticket);
    return isSession(data) ? data : undefined;
  }

  private async unseal(sealed: string, onTicket?: (ticket: string) => void): Promise<{ data: unknown; passwordIndex: number }> {
    const { encryption, passwords } = this;
    const parts = canonicalSealParts(sealed);
    if (!parts) throw new Error('Not a canonical session seal');
    if (!encryption) return unsealWithIndex(sealed, passwords, this.deps.clock(), this.deps.crypto, parts, onTicket);
    let lastError: unknown;
    for (let index = 0; index < passwords.length; index++) {
      try {
        return { data: await encryption.unsealData(sealed, { password: passwords[index] as string }), passwordIndex: index };
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }
}
