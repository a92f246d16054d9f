import type { SubjectMarks } from './CoordinationStore.js';

/** Subject of a user's marks in the coordination store. */
export const userSubject = (userId: string): string => `user:${userId}`;
/** Subject of an organization's marks in the coordination store. */
export const organizationSubject = (organizationId: string): string => `org:${organizationId}`;
/** Subject whose marks apply to every session. */
export const ALL_SUBJECTS = 'all';

/** `next` merged over `previous`: times keep the later value, a new `digest` replaces the old one. */
export function mergeMarks(previous: SubjectMarks, next: SubjectMarks): SubjectMarks {
  const merged: SubjectMarks = {};
  const revokedAt = later(previous.revokedAt, next.revokedAt);
  const staleAt = later(previous.staleAt, next.staleAt);
  const digest = next.digest ?? previous.digest;
  if (revokedAt !== undefined) merged.revokedAt = revokedAt;
  if (staleAt !== undefined) merged.staleAt = staleAt;
  if (digest !== undefined) merged.digest = digest;
  return merged;
}

/** Reads marks stored as JSON, dropping anything that is not a mark (a store never makes a session valid). */
export function parseMarks(text: string | null | undefined): SubjectMarks {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const { revokedAt, staleAt, digest } = value as Record<string, unknown>;
  const marks: SubjectMarks = {};
  if (typeof revokedAt === 'number' && Number.isFinite(revokedAt)) marks.revokedAt = revokedAt;
  if (typeof staleAt === 'number' && Number.isFinite(staleAt)) marks.staleAt = staleAt;
  if (typeof digest === 'string') marks.digest = digest;
  return marks;
}

function later(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}
