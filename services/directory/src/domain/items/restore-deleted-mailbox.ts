// An approved `restore_deleted` item: a deleted mailbox given back before its province's purge day
// (judge-restore-deleted.ts), at the same address, under the new password the item carries (the
// requests service issued it: the agency or the operator opens it once). The mailbox is `active`
// again under a new generation, its address's retirement hold ends, an agency mailbox is its
// agency's own again, and the mail server gets a `restore_deleted` command: the row written again
// and the mail moved back from retention. The aliases it had when deleted come back where their
// addresses are still free; one taken meanwhile is named with why in the restore's history
// (aliases-of-deleted.ts) and in the item's result (the command's resultNote, answered by the
// provisioner with its result, so the agency reads it as the item's reason). Its forward, which the
// delete ended (`previousForward` in the history), comes back too while its target is still valid
// (forwards/restore-forward.ts): the mailbox's forward_to again, and the restore's command carries
// it (`forwardTo`) so the mail server writes the forward row with the mailbox in one transaction;
// a target gone meanwhile is named in the history (`forwardNotRestored`) and in the item's result,
// like a taken alias. Refusals fail the item with why.
import { getPolicy } from '@hopthu/naming';
import { findAgencyById, findAgencyLineage, setOfficialMailbox } from '../../db/agency-repository.ts';
import { markReopened } from '../../db/inactivity-repository.ts';
import { findMailboxById, type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import { markPasswordIssued } from '../../db/password-repository.ts';
import {
  endRetiredHold,
  findAddressHolders,
  findDeletedAt,
  findDeletedMailboxByAddress,
  findDeleteRecord,
} from '../../db/restore-repository.ts';
import { notRestoredNote, recordedAliases, restoreAliasesOfDeleted } from '../aliases/aliases-of-deleted.ts';
import { setForward } from '../../db/forward-repository.ts';
import { judgeRestoredForward } from '../forwards/restore-forward.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from './item-outcome.ts';
import { judgeRestoreDeleted } from './judge-restore-deleted.ts';

const failed = (vi: string, en: string): ItemOutcome => ({ outcome: 'failed', reason: { vi, en } });

export async function restoreDeletedMailbox(
  deps: ItemDeps,
  { item, ctx }: Pick<OperationInput, 'item' | 'ctx'>,
): Promise<ItemOutcome> {
  const { db } = deps;
  const address = item.address?.trim().toLowerCase();
  if (!address) return failed('Thiếu địa chỉ hộp thư', 'The item has no mailbox address');
  if (!item.passwordHash)
    return failed('Thiếu mật khẩu mới (dạng băm)', 'The item carries no new password hash');
  const before = await findDeletedMailboxByAddress(db, address);
  if (!before) {
    return failed(`Không có hộp thư đã xóa ${address}`, `There is no deleted mailbox ${address}`);
  }
  const lineage = await findAgencyLineage(db, before.agencyId);
  if (!lineage.some((agency) => agency.id === item.agencyId)) {
    return failed(
      `Hộp thư ${address} không thuộc cơ quan gửi yêu cầu hoặc đơn vị trực thuộc`,
      `The mailbox ${address} does not belong to the requesting agency or its sub-units`,
    );
  }
  const agency = before.type === 'agency' ? await findAgencyById(db, before.agencyId) : null;
  const agencyMailbox =
    agency?.officialMailboxId && agency.officialMailboxId !== before.id
      ? (await findMailboxById(db, agency.officialMailboxId))?.address
      : null;
  const verdict = judgeRestoreDeleted({
    address,
    deletedAt: (await findDeletedAt(db, before)) ?? before.updatedAt,
    now: ctx.at,
    holders: await findAddressHolders(db, before, ctx.at),
    agencyMailbox,
  });
  if (!verdict.ok) return { outcome: 'failed', reason: verdict.reason };

  const mailbox: Mailbox = {
    ...before,
    state: 'active',
    generation: before.generation + 1,
    updatedAt: ctx.at,
  };
  await updateMailbox(db, mailbox.id, { state: 'active', generation: mailbox.generation }, ctx.at);
  const holdsEnded = await endRetiredHold(db, mailbox.id, ctx.at);
  await markReopened(db, mailbox.id, ctx.at); // its inactivity period starts again, as on a restore
  await markPasswordIssued(db, mailbox.id, ctx.at);
  if (agency && !agency.officialMailboxId) await setOfficialMailbox(db, agency.id, mailbox.id, ctx.at);
  const deleteRecord = await findDeleteRecord(db, mailbox.id);
  const aliases = await restoreAliasesOfDeleted(deps, mailbox, recordedAliases(deleteRecord?.details), ctx);
  // a new issued password: where the province makes the holder change a reset one, this one too
  const mustChange = !!getPolicy(mailbox.province).firstLoginChange?.onReset;
  const previousForward = deleteRecord?.forwardTo ?? null;
  const forward = previousForward ? await judgeRestoredForward(db, mailbox, previousForward, ctx.at) : null;
  // before the state is published: it shows the forward back
  if (forward?.ok) await setForward(db, mailbox.id, forward.forwardTo, ctx.at, { bumpGeneration: false });
  const resultNote = notRestoredNote([...aliases.notRestored, ...(forward && !forward.ok ? [forward] : [])]);
  await recordMailboxChange(
    deps,
    {
      mailbox,
      history: {
        change: 'restored_from_retention',
        details: {
          from: 'deleted',
          to: 'active',
          generation: mailbox.generation,
          deletedOn: verdict.deletedOn,
          purgeOn: verdict.purgeOn,
          ...(aliases.restored.length > 0 ? { aliases: aliases.restored } : {}),
          ...(aliases.notRestored.length > 0 ? { aliasesNotRestored: aliases.notRestored } : {}),
          ...(previousForward ? { previousForward } : {}),
          ...(forward?.ok ? { forwardTo: forward.forwardTo } : {}),
          ...(forward && !forward.ok
            ? { forwardNotRestored: { forwardTo: forward.forwardTo, reason: forward.reason } }
            : {}),
          // given back as they were if the mail server cannot restore (undo-failed-restore.ts)
          holdsEnded,
        },
      },
      command: {
        action: 'restore_deleted',
        passwordHash: item.passwordHash,
        quotaBytes: mailbox.quotaBytes,
        ...(mustChange ? { passwordChangeRequired: true } : {}),
        ...(resultNote ? { resultNote } : {}),
        ...(forward?.ok ? { forwardTo: forward.forwardTo } : {}),
      },
      agencyId: agency && !agency.officialMailboxId ? agency.id : undefined,
    },
    ctx,
  );
  return { outcome: 'commanded', mailbox };
}
