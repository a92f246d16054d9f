import type { CryptoBackend } from '../../core/encryption/backend.js';
import { isStoreTimeout, withinTime } from '../../core/coordination/guard.js';
import { AuthKitError } from '../../core/errors.js';
import { emit, type AuthKitEventHandler } from '../../core/events.js';
import type { SessionStore } from '../../core/sessionStore/SessionStore.js';
import type { SessionIdKeys } from '../../core/sessionStore/sessionIdKeys.js';
import { openStoredSession, sealStoredSession } from '../../core/sessionStore/storedSession.js';

/** Tuning of {@link SealedRecords}. */
export interface SealedRecordsOptions {
  clock: () => number;
  onEvent?: AuthKitEventHandler | undefined;
  /** Time bound of one store operation, in milliseconds. */
  timeoutMs: number;
  /** Lifetime of a record written, in milliseconds. */
  ttlMs: number;
  /** The core's crypto backend, for the record seals. */
  crypto: CryptoBackend;
}

/** What reading a record found: its session seal, nothing, or a value that is not a record of ours for that key. */
export type ReadRecord = { seal: string } | 'absent' | 'foreign';

/**
 * The session store as server mode uses it: every value sealed with the derived record password and bound to
 * its key, every operation time-bounded (a failure or timeout reports `coordination.fallback` and rejects).
 */
export class SealedRecords {
  constructor(
    private readonly store: SessionStore,
    private readonly keys: Promise<SessionIdKeys>,
    private readonly options: SealedRecordsOptions,
  ) {}

  /** @throws Error when the store fails or does not answer in time. */
  async read(key: string): Promise<ReadRecord> {
    const value = await this.bounded('sessionStore.get', this.store.get(key));
    if (value === undefined) return 'absent';
    const record = await openStoredSession(value, key, (await this.keys).recordPasswords, this.options.crypto);
    return record ? { seal: record.seal } : 'foreign';
  }

  /** @throws AuthKitError `session_store_unavailable`. */
  async write(key: string, seal: string, userId?: string): Promise<void> {
    const value = await sealStoredSession({ key, seal }, (await this.keys).recordPasswords[0] as string, this.options.crypto);
    try {
      await this.bounded('sessionStore.set', this.store.set(key, value, this.options.ttlMs, userId));
    } catch (error) {
      throw new AuthKitError('The session store could not be written', error, undefined, 'session_store_unavailable');
    }
  }

  /** Deletes a record; a failure is reported as an event only. */
  async remove(key: string): Promise<void> {
    await this.bounded('sessionStore.delete', this.store.delete(key)).catch(() => undefined);
  }

  /** Deletes every record of a user; a failure is reported as an event only. */
  async removeUser(userId: string): Promise<void> {
    await this.bounded('sessionStore.deleteByUser', this.store.deleteByUser(userId)).catch(() => undefined);
  }

  /** The store operation's result, or a rejection after `timeoutMs` (reported as `coordination.fallback`). */
  private async bounded<V>(operation: string, task: Promise<V>): Promise<V> {
    const { clock, timeoutMs, onEvent } = this.options;
    const started = clock();
    try {
      return await withinTime(task, timeoutMs);
    } catch (error) {
      task.catch(() => undefined);
      emit(onEvent, { type: 'coordination.fallback', operation, durationMs: clock() - started, timedOut: isStoreTimeout(error) });
      throw error;
    }
  }
}
