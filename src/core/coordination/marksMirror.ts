import type { Clock } from '../clock.js';
import type { SubjectMarks } from './CoordinationStore.js';
import { mergeMarks } from './marks.js';

/**
 * This instance's copy of the per-subject marks in the coordination store (webhooks, sign-out everywhere),
 * each kept until its own expiry and never evicted early. Fed by the store's `watchMarks`, so the check on
 * every request is a memory lookup: no round trip, and no timeout that would answer "no marks".
 */
export class MarksMirror {
  private readonly entries = new Map<string, { marks: SubjectMarks; expiresAt: number }>();

  constructor(private readonly clock: Clock) {}

  /** Number of subjects held (expired ones included until looked up). */
  get size(): number {
    return this.entries.size;
  }

  /** Merges `marks` into the subject's, kept at least `ttlMs` more. */
  merge(subject: string, marks: SubjectMarks, ttlMs: number): void {
    const now = this.clock();
    const held = this.entries.get(subject);
    const live = held && held.expiresAt > now ? held : undefined;
    this.entries.set(subject, {
      marks: mergeMarks(live?.marks ?? {}, marks),
      expiresAt: Math.max(live?.expiresAt ?? 0, now + ttlMs),
    });
  }

  /** The marks of each subject at `now`, merged (latest time wins). */
  marksOf(subjects: readonly string[], now = this.clock()): SubjectMarks {
    let merged: SubjectMarks = {};
    for (const subject of subjects) {
      const held = this.entries.get(subject);
      if (!held) continue;
      if (held.expiresAt <= now) this.entries.delete(subject);
      else merged = mergeMarks(held.marks, merged);
    }
    return merged;
  }
}
