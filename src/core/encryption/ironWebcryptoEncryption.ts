import { systemClock } from '../clock.js';
import type { SessionEncryption } from '../session/types.js';
import type { CryptoBackend } from './backend.js';
import type { SealParts } from './canonical.js';
import { createDefaultCryptoBackend } from './defaultBackend.js';

/** Seal version suffix appended after the iron string. */
const VERSION_SUFFIX = '~2';

/** Passwords to try when unsealing: a string, or `[current, ...previous]`. */
export type PasswordInput = string | readonly string[];

function passwords(password: PasswordInput): readonly string[] {
  return typeof password === 'string' ? [password] : password;
}

/**
 * Seals `data` with iron (AES-256-CBC + HMAC-SHA256, iron defaults) under password id `1`, suffixed `~2`:
 * the `wos-session` wire format shared with `@workos-inc/node` and `@workos/authkit-nextjs`. The iron work is
 * done by `backend` (iron-webcrypto by default, `node:crypto` under the `node` entry).
 * `ttl` is in seconds; 0 (default) never expires. With several passwords the first seals.
 * @param nowMs the time the expiry counts from, in milliseconds since the epoch. Default: the system clock.
 * @throws Error from iron-webcrypto (e.g. a password under 32 characters).
 */
export async function sealData(
  data: unknown,
  options: { password: PasswordInput; ttl?: number | undefined },
  nowMs: number = systemClock(),
  backend: CryptoBackend = createDefaultCryptoBackend(),
): Promise<string> {
  const [current] = passwords(options.password);
  const sealed = await backend.seal(data, current as string, (options.ttl ?? 0) * 1000, nowMs);
  return `${sealed}${VERSION_SUFFIX}`;
}

/**
 * Unseals a value written by {@link sealData}, iron-session or `@workos-inc/node`; tries each password in
 * order. A version other than `2` is read as the iron-session v1 layout (`persistent`).
 * @throws Error from iron-webcrypto (`Bad hmac value`, `Incorrect number of sealed components`, …).
 */
export async function unsealData<T = unknown>(sealed: string, options: { password: PasswordInput }): Promise<T> {
  return (await unsealWithIndex<T>(sealed, options.password)).data;
}

/**
 * Like {@link unsealData}, also telling which password (index into the list) opened the seal.
 * @param nowMs the time expiry is judged at, in milliseconds since the epoch. Default: the system clock.
 * @param parts the seal body already split (see `canonicalSealParts`), so it is not parsed again.
 * @param onTicket receives the seal's ticket when the first password opened it and the backend makes tickets.
 */
export async function unsealWithIndex<T = unknown>(
  sealed: string,
  password: PasswordInput,
  nowMs: number = systemClock(),
  backend: CryptoBackend = createDefaultCryptoBackend(),
  parts?: SealParts,
  onTicket?: (ticket: string) => void,
): Promise<{ data: T; passwordIndex: number }> {
  const tilde = sealed.lastIndexOf('~');
  const body = tilde === -1 ? sealed : sealed.slice(0, tilde);
  const version = tilde === -1 ? undefined : sealed.slice(tilde + 1);
  const list = passwords(password);
  // Made only when no password is given: an Error takes a stack trace, ~5 µs of every first sight on workerd.
  let lastError: unknown;
  for (let index = 0; index < list.length; index++) {
    try {
      const data = await backend.unseal(body, list[index] as string, nowMs, parts, index === 0 ? onTicket : undefined);
      const value = version === undefined || version === '2' ? data : { ...(data as { persistent?: object }).persistent };
      return { data: value as T, passwordIndex: index };
    } catch (error) {
      lastError = error;
      // Only a wrong password (or a tampered seal) is worth trying the next password for.
      if (!(error instanceof Error) || error.message !== 'Bad hmac value') break;
    }
  }
  throw list.length === 0 ? new Error('No password') : lastError;
}

/** A {@link SessionEncryption} over `backend`: iron with the `wos-session` parameters. */
export function ironEncryption(backend: CryptoBackend): SessionEncryption {
  return {
    sealData: (data, options) => sealData(data, options, systemClock(), backend),
    unsealData: async <T>(encryptedData: string, options: { password: string; ttl?: number | undefined }) =>
      (await unsealWithIndex<T>(encryptedData, options.password, systemClock(), backend)).data,
  };
}

/**
 * The default {@link SessionEncryption}: iron-webcrypto with the `wos-session` parameters, on a WebCrypto
 * backend of its own (its password keys are not shared with any service).
 */
export const sessionEncryption: SessionEncryption = ironEncryption(createDefaultCryptoBackend());
