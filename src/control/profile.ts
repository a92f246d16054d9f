import type { User } from '@workos-inc/node';
import { sha256Hex } from '../core/refresh/digest.js';

/** The user fields a session carries that a `user.updated` event can change (not the sign-in timestamps). */
interface Profile {
  email: unknown;
  firstName: unknown;
  lastName: unknown;
  emailVerified: unknown;
  profilePictureUrl: unknown;
  externalId: unknown;
  metadata: unknown;
}

/** SHA-256 (hex) of a profile: the same for a `user.updated` event's data and the SDK's `User` of that user. */
function digest(profile: Profile): Promise<string> {
  const values = Object.entries(profile).map(([key, value]) => [key, value ?? null]);
  return sha256Hex(JSON.stringify(values));
}

/** The profile digest of a `user.updated` event's data (snake_case, as delivered). */
export function eventProfileDigest(data: Record<string, unknown>): Promise<string> {
  return digest({
    email: data.email,
    firstName: data.first_name,
    lastName: data.last_name,
    emailVerified: data.email_verified,
    profilePictureUrl: data.profile_picture_url,
    externalId: data.external_id,
    metadata: data.metadata,
  });
}

/** The profile digest of a signed-in user (the SDK's `User`, camelCase). */
export function userProfileDigest(user: User): Promise<string> {
  const { email, firstName, lastName, emailVerified, profilePictureUrl, externalId, metadata } = user as User & {
    externalId?: unknown;
    metadata?: unknown;
  };
  return digest({ email, firstName, lastName, emailVerified, profilePictureUrl, externalId, metadata });
}
