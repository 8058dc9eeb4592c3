// Idempotency by generation, the one rule every adapter applies: compare the generation a command
// targets with the one the mail server last applied to that mailbox.

export type GenerationDecision =
  /** newer than what is stored (or nothing stored): apply the change */
  | 'apply'
  /** equal: this very change is already in the mail server; change nothing, finish follow-ups */
  | 'current'
  /** older: a newer change already won; change nothing */
  | 'stale';

export function decideGeneration(stored: number | null | undefined, incoming: number): GenerationDecision {
  if (stored === null || stored === undefined) return 'apply';
  if (incoming > stored) return 'apply';
  if (incoming === stored) return 'current';
  return 'stale';
}
