import { AuthKitError } from '../errors.js';

/** App data kept beside a session: a JSON object. */
export type SessionData = Record<string, unknown>;

const encoder = new TextEncoder();

/**
 * Applies a shallow patch to session data: each key of `patch` replaces the current value, and a key set to
 * `undefined` is removed. The result must be plain JSON and at most `maxBytes` long once serialised.
 * @throws AuthKitError `session_data_invalid` (not a plain object, or not JSON-serialisable) or
 *   `session_data_too_large` (over `maxBytes`; `data.bytes` and `data.maxBytes` say by how much).
 */
export function applySessionDataPatch<T extends SessionData>(current: T, patch: Partial<T>, maxBytes: number): T {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new AuthKitError('Session data patch must be a plain object', undefined, undefined, 'session_data_invalid');
  }
  const next: SessionData = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === undefined) delete next[name];
    else next[name] = value;
  }
  let json: string;
  try {
    json = JSON.stringify(next);
  } catch (error) {
    throw new AuthKitError('Session data must be JSON-serialisable', error, undefined, 'session_data_invalid');
  }
  const bytes = encoder.encode(json).length;
  if (bytes > maxBytes) {
    throw new AuthKitError(
      `Session data is ${bytes} bytes once serialised, over the limit of ${maxBytes}`,
      undefined,
      { bytes, maxBytes },
      'session_data_too_large',
    );
  }
  return JSON.parse(json) as T;
}
