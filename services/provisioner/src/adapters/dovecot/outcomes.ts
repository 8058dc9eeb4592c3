// The answers the Dovecot adapter gives, one shape per case of decideGeneration.
import type { AdapterOutcome } from '../../domain/mail-server-adapter.ts';

export const skipped = (...notes: string[]): AdapterOutcome => ({ outcome: 'skipped', notes });
export const applied = (...notes: string[]): AdapterOutcome => ({ outcome: 'applied', notes });
/** The mail server already holds exactly this generation: an earlier attempt of this change got through. */
export const current = (...notes: string[]): AdapterOutcome => ({ outcome: 'skipped', current: true, notes });
export const notNewer = (decision: 'current' | 'stale'): AdapterOutcome =>
  decision === 'current' ? current('already applied') : skipped('a newer generation is already applied');
