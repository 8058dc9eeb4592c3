// Records one operator action in the audit log: who, what, on what, when, with what outcome. The
// entry is chained to the one before it under a transaction-level lock, so concurrent actions
// append one after the other. An audit write that fails is logged, never silently dropped, and
// does not undo what was done in another service.
import { findAuditHeadHash, insertAuditEntry, lockAuditChain } from '../../db/audit-repository.ts';
import type { AuditOutcome } from '../../db/schema.ts';
import type { ConsoleDeps } from '../deps.ts';
import { auditEntryHash, GENESIS_HASH, normaliseDetails } from './audit-chain.ts';

export interface AuditInput {
  operatorId: string | null;
  username: string;
  action: string;
  target?: string | undefined;
  outcome: AuditOutcome;
  details?: Record<string, unknown> | undefined;
  clientIp?: string | undefined;
}

export async function recordAction(deps: Pick<ConsoleDeps, 'db' | 'clock' | 'logger'>, e: AuditInput) {
  try {
    await deps.db.transaction().execute(async (trx) => {
      await lockAuditChain(trx);
      const prevHash = (await findAuditHeadHash(trx)) ?? GENESIS_HASH;
      const content = {
        at: deps.clock.now(),
        operatorId: e.operatorId,
        username: e.username,
        action: e.action,
        target: e.target ?? null,
        outcome: e.outcome,
        details: normaliseDetails(e.details),
        clientIp: e.clientIp ?? null,
      };
      await insertAuditEntry(trx, { ...content, prevHash, hash: auditEntryHash(content, prevHash) });
    });
  } catch (err) {
    deps.logger.error({ err, action: e.action, username: e.username }, 'audit write failed');
    throw err;
  }
}
