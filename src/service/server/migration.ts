import type { AuthKitCore, AuthenticateOutcome } from '../../core/AuthKitCore.js';
import type { CryptoBackend } from '../../core/encryption/backend.js';
import type { UnauthenticatedReason } from '../../core/session/reasons.js';
import { SessionIdKeys } from '../../core/sessionStore/sessionIdKeys.js';
import type { Binding } from './LocalCopies.js';
import type { ReadRecord, SealedRecords } from './SealedRecords.js';

type Outcome<T> = AuthenticateOutcome<T>;

const MIGRATED_PREFIX = 'migrated:';

/** What moving a `cookie`-mode seal into the store needs of `ServerSessions`. */
export interface MigrationSteps<T> {
  records: SealedRecords;
  core: AuthKitCore;
  keys: SessionIdKeys;
  /** Reads, opens and authenticates the record of `binding`, answering `newCookie` as the cookie to save. */
  open(binding: Binding, digest: string, newCookie: string | undefined): Promise<Outcome<T>>;
  /** Remembers which record an outcome's session came from. */
  bind(outcome: Outcome<T>, binding: Binding): Outcome<T>;
  reject(reason: UnauthenticatedReason): Outcome<T>;
}

/** SHA-256 (hex) of a cookie value or session id, on the core's backend: the store and local-copy key. */
export async function digestOf(crypto: CryptoBackend, value: string): Promise<string> {
  return crypto.sha256Hex(value);
}

/**
 * A `cookie`-mode seal met in server mode: authenticated once and moved to the store under a new id;
 * the old seal is remembered (digest → sealed id), so presenting it again maps to the same record.
 */
export async function migrateSeal<T>(steps: MigrationSteps<T>, seal: string, digest: string): Promise<Outcome<T>> {
  const { records, core, keys } = steps;
  if (!seal.startsWith('Fe26.')) return steps.reject('invalid_cookie');
  const markKey = `${MIGRATED_PREFIX}${digest}`;
  let mark: ReadRecord;
  try {
    mark = await records.read(markKey);
  } catch {
    return steps.reject('session_store_unavailable');
  }
  // A mark holds the id (sealed like a record) the seal was moved to.
  if (typeof mark === 'object')
    return steps.open({ id: mark.seal, key: await digestOf(core.deps.crypto, mark.seal) }, digest, await keys.sign(mark.seal));
  const outcome = await core.authenticate<T>(seal);
  if (!outcome.session) return outcome;
  const id = SessionIdKeys.newId();
  const key = await digestOf(core.deps.crypto, id);
  try {
    await records.write(key, outcome.refreshedSessionData ?? seal, outcome.session.user.id);
    await records.write(markKey, id);
  } catch {
    return steps.reject('session_store_unavailable');
  }
  return steps.bind({ auth: outcome.auth, session: outcome.session, refreshedSessionData: await keys.sign(id) }, { id, key });
}
