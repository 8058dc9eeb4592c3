// Dissolving a unit on its own (Mẫu 03 for the unit itself, approved by two operators in the
// requests service): every live mailbox of the unit is deleted the one way a mailbox's state
// changes (history, retired address held back, `delete` command, published state), the unit is
// marked dissolved from that moment and its current version closed, and its state is published.
// A unit that still has live units below it is refused: they are moved or dissolved first.
// Runs in the caller's transaction (the consumer's inbox transaction).
import { AppError } from '@hopthu/shared/errors';
import { countLiveDescendants, dissolveAgencyRow, findAgencyForUpdate } from '../../db/agency-repository.ts';
import { listLiveMailboxesOfAgencies, type Mailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { setMailboxState } from '../mailboxes/set-mailbox-state.ts';
import { publishAgencyState } from '../mailboxes/directory-state.ts';

export interface DissolveAgencyInput {
  agencyId: string;
  ctx: ChangeContext & { reason: string };
}

export interface DissolveAgencyResult {
  agencyId: string;
  dissolvedAt: string;
  /** The unit's own mailbox as deleted (null when it had none). */
  official: Mailbox | null;
  deleted: string[];
}

export async function dissolveAgencyIn(
  deps: ChangeDeps,
  input: DissolveAgencyInput,
): Promise<DissolveAgencyResult> {
  const { db } = deps;
  const { ctx } = input;
  const agency = await findAgencyForUpdate(db, input.agencyId);
  if (!agency) throw new AppError('not_found', { vi: 'Không có cơ quan này', en: 'No such agency' });
  if (agency.dissolvedAt) {
    throw new AppError('conflict', { vi: 'Cơ quan đã giải thể', en: 'The agency is already dissolved' });
  }
  const below = await countLiveDescendants(db, agency.id);
  if (below > 0) {
    throw new AppError('conflict', {
      vi: `${agency.name} còn ${below} đơn vị trực thuộc: hãy chuyển hoặc giải thể các đơn vị đó trước`,
      en: `${agency.name} still has ${below} units below it: move or dissolve them first`,
    });
  }
  let official: Mailbox | null = null;
  const deleted: string[] = [];
  for (const mailbox of await listLiveMailboxesOfAgencies(db, [agency.id])) {
    const after = await setMailboxState(deps, {
      before: mailbox,
      target: { action: 'delete', state: 'deleted', change: 'deleted' },
      ctx,
      details: { agencyDissolved: agency.id },
    });
    if (mailbox.id === agency.officialMailboxId) official = after;
    deleted.push(mailbox.address);
  }
  await dissolveAgencyRow(db, agency.id, { at: ctx.at, reason: ctx.reason, actor: ctx.actor });
  await publishAgencyState(db, agency.id, ctx);
  return { agencyId: agency.id, dissolvedAt: ctx.at.toISOString(), official, deleted };
}
