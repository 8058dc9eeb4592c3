// Creates a civil servant's personal mailbox for an approved `create` item: the person enters the
// directory, the naming policy of the agency's province picks the address, and the mailbox starts
// in `provisioning` with a `create` command. Where the province leaves a collision to an operator,
// the item waits in pending_decisions instead.
import { getPolicy, type ProvincePolicy } from '@hopthu/naming';
import type { ItemApproved } from '@hopthu/shared/events';
import type { Agency } from '../../db/agency-repository.ts';
import { insertPendingDecision } from '../../db/decision-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import {
  findLikelySameHolder,
  findLiveAgencyMailbox,
  findLivePersonalMailbox,
  type Mailbox,
} from '../../db/mailbox-repository.ts';
import { markPasswordIssued } from '../../db/password-repository.ts';
import { findPersonByKey, insertPerson, type Person } from '../../db/person-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { foldedPersonName } from '../directory/text.ts';
import { claimMailbox } from '../mailboxes/claim-mailbox.ts';
import { issueCommand } from '../mailboxes/provisioning-commands.ts';
import { publishMailboxState } from '../mailboxes/directory-state.ts';
import { agencyPartForPerson, personalNamingInput } from '../mailboxes/naming-input.ts';
import { randomPasswordHash } from '../mailboxes/password-hash.ts';

export type ItemOutcome =
  | { outcome: 'created'; mailbox: Mailbox }
  /** A command went to the provisioner; its result settles the item. */
  | { outcome: 'commanded'; mailbox: Mailbox }
  /** Settled in the directory alone (no mail-server change); a unit item may have no mailbox. */
  | { outcome: 'applied'; mailbox: Mailbox | null }
  | { outcome: 'pending_decision'; candidates: string[] }
  | { outcome: 'failed'; reason: { vi: string; en: string }; mailbox?: Mailbox | null };

export async function createPersonalMailbox(
  db: Db,
  newId: () => string,
  item: ItemApproved,
  agency: Agency,
  ctx: ChangeContext,
  options: { forcedLocal?: string | undefined } = {},
): Promise<ItemOutcome> {
  const input = item.person;
  if (!input) {
    return {
      outcome: 'failed',
      reason: { vi: 'Thiếu thông tin người được cấp hộp thư', en: 'The item has no person' },
    };
  }
  const policy = getPolicy(agency.province);
  const foldedName = foldedPersonName(input);
  const position = input.position?.normalize('NFC') ?? null;
  const department = input.department?.normalize('NFC') ?? null;

  // One personal mailbox per civil servant, except where the province allows more in special cases
  // and the request says why (Đắk Nông Điều 5); the exception is kept in the new mailbox's history.
  const exceptionReason = item.exceptionReason?.normalize('NFC').trim() || undefined;
  if (exceptionReason && !policy.severalPersonalMailboxes) {
    return {
      outcome: 'failed',
      reason: {
        vi: `Quy chế của ${policy.name} không cho phép một người giữ nhiều hộp thư cá nhân`,
        en: `${policy.name}'s regulation does not let one person hold several personal mailboxes`,
      },
    };
  }
  let known: Person | null = null;
  if (input.personKey) {
    known = await findPersonByKey(db, agency.province, input.personKey);
    const held = known ? await findLivePersonalMailbox(db, known.id, agency.province) : null;
    if (held && !exceptionReason) return alreadyHas(held);
  } else {
    const held = await findLikelySameHolder(db, { agencyId: agency.id, foldedName, position, department });
    if (held && !exceptionReason) return alreadyHas(held);
  }
  const exception =
    exceptionReason && policy.severalPersonalMailboxes
      ? { reason: exceptionReason, article: policy.severalPersonalMailboxes.article }
      : undefined;

  const personId = known?.id ?? newId();
  if (!known) {
    await insertPerson(
      db,
      {
        id: personId,
        province: agency.province,
        familyName: input.familyName.normalize('NFC').trim(),
        middleName: input.middleName.normalize('NFC').trim(),
        givenName: input.givenName.normalize('NFC').trim(),
        foldedName,
        personKey: input.personKey ?? null,
        position,
        department,
        agencyId: agency.id,
      },
      ctx.at,
    );
  }
  const official = await findLiveAgencyMailbox(db, agency.id);
  const quotaBytes = policy.personalQuotaBytes;
  const claim = await claimMailbox(db, {
    policy,
    input: personalNamingInput(input, agencyPartForPerson(agency, official?.localPart ?? null)),
    forcedLocal: options.forcedLocal,
    mailbox: {
      id: newId(),
      type: 'personal',
      agencyId: agency.id,
      personId,
      province: agency.province,
      quotaBytes,
    },
    at: ctx.at,
  });
  if (claim.outcome !== 'created' && !known)
    await db.deleteFrom('people').where('id', '=', personId).execute();

  switch (claim.outcome) {
    case 'created':
      await finishCreate(db, newId, claim.mailbox, item.passwordHash, policy, ctx, exception);
      return claim;
    case 'operator':
      await insertPendingDecision(
        db,
        {
          id: newId(),
          itemId: item.itemId,
          requestId: item.requestId,
          agencyId: agency.id,
          province: agency.province,
          item,
          candidates: claim.candidates,
          reason: `${policy.name}: ${policy.collision.article}`,
          correlationId: ctx.correlationId ?? null,
        },
        ctx.at,
      );
      return { outcome: 'pending_decision', candidates: claim.candidates };
    case 'error':
      return { outcome: 'failed', reason: claim.message };
    case 'holder_has_mailbox': {
      const held = known ? await findLivePersonalMailbox(db, known.id, agency.province) : null;
      return alreadyHas(held);
    }
  }
}

async function finishCreate(
  db: Db,
  newId: () => string,
  mailbox: Mailbox,
  passwordHash: string | undefined,
  policy: ProvincePolicy,
  ctx: ChangeContext,
  exception?: { reason: string; article: string },
): Promise<void> {
  await insertHistory(db, {
    mailboxId: mailbox.id,
    at: ctx.at,
    change: 'created',
    reason: ctx.reason,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    actor: ctx.actor,
    details: {
      address: mailbox.address,
      type: 'personal',
      quotaBytes: policy.personalQuotaBytes,
      ...(exception ? { exception } : {}),
    },
  });
  await issueCommand(
    db,
    newId,
    mailbox,
    {
      action: 'create',
      passwordHash: passwordHash ?? (await randomPasswordHash()),
      quotaBytes: mailbox.quotaBytes,
      // an issued password the holder must change before first use where the province says so
      ...(passwordHash && policy.firstLoginChange?.onCreate ? { passwordChangeRequired: true } : {}),
    },
    ctx,
  );
  if (passwordHash) await markPasswordIssued(db, mailbox.id, ctx.at);
  await publishMailboxState(db, mailbox.id, ctx);
}

function alreadyHas(held: Mailbox | null): ItemOutcome {
  const where = held ? ` (${held.address})` : '';
  return {
    outcome: 'failed',
    reason: {
      vi: `Người này đã có hộp thư cá nhân${where}; mỗi CBCCVC chỉ có một hộp thư cá nhân`,
      en: `This person already has a personal mailbox${where}; one personal mailbox per civil servant`,
    },
  };
}
