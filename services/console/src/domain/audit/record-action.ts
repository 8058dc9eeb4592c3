// Records one operator action in the audit log: who, what, on what, when, with what outcome.
// An audit write that fails is logged, never silently dropped, and does not undo what was done
// in another service.
import { insertAuditEntry, type NewAuditEntry } from '../../db/audit-repository.ts';
import type { ConsoleDeps } from '../deps.ts';

export type AuditInput = Omit<NewAuditEntry, 'at'>;

export async function recordAction(deps: Pick<ConsoleDeps, 'db' | 'clock' | 'logger'>, e: AuditInput) {
  try {
    await insertAuditEntry(deps.db, { ...e, at: deps.clock.now() });
  } catch (err) {
    deps.logger.error({ err, action: e.action, username: e.username }, 'audit write failed');
    throw err;
  }
}
