// Creates a civil servant's personal mailbox for an approved `create` item: the person enters the
// directory, the naming policy of the agency's province picks the address, and the mailbox starts
// in `provisioning` with a `create` command. Where the province leaves a collision to an operator,
// the item waits in pending_decisions instead.
import { getPolicy, type ProvincePolicy } from '@hopthu/naming';
import type { EventPerson } from '@hopthu/shared/events';
import type { Agency } from '../../db/agency-repository.ts';
import {
  findLikelySameHolder,
  findLiveAgencyMailbox,
  findLivePersonalMailbox,
  type Mailbox,
} from '../../db/mailbox-repository.ts';
import { markPasswordIssued } from '../../db/password-repository.ts';
import { deletePerson, findPersonByKey, insertPerson, type Person } from '../../db/person-repository.ts';
import type { ChangeContext } from '../deps.ts';
import { foldedPersonName } from '../directory/text.ts';
import { claimMailbox } from '../mailboxes/claim-mailbox.ts';
import { agencyPartForPerson, personalNamingInput } from '../mailboxes/naming-input.ts';
import { randomPasswordHash } from '../mailboxes/password-hash.ts';
import { type MailboxChange, recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import { awaitOperator } from './await-operator.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from './item-outcome.ts';

export async function createPersonalMailbox(deps: ItemDeps, input: OperationInput): Promise<ItemOutcome> {
  const { db, newId } = deps;
  const { item, agency, ctx } = input;
  const person = item.person;
  if (!person) {
    return {
      outcome: 'failed',
      reason: { vi: 'Thiếu thông tin người được cấp hộp thư', en: 'The item has no person' },
    };
  }
  const policy = getPolicy(agency.province);
  const { foldedName, position, department } = personJob(person);

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
  if (person.personKey) {
    known = await findPersonByKey(db, agency.province, person.personKey);
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
    await insertPerson(db, newPerson(personId, person, agency), ctx.at);
  }
  const official = await findLiveAgencyMailbox(db, agency.id);
  const quotaBytes = policy.personalQuotaBytes;
  const claim = await claimMailbox(db, {
    policy,
    input: personalNamingInput(person, agencyPartForPerson(agency, official?.localPart ?? null)),
    forcedLocal: input.forcedLocal,
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
  if (claim.outcome !== 'created' && !known) await deletePerson(db, personId);

  switch (claim.outcome) {
    case 'created':
      await recordCreated(deps, claim.mailbox, item.passwordHash, policy, ctx, exception);
      return claim;
    case 'operator':
      return awaitOperator(deps, {
        item,
        ctx,
        province: agency.province,
        candidates: claim.candidates,
        reason: `${policy.name}: ${policy.collision.article}`,
      });
    case 'error':
      return { outcome: 'failed', reason: claim.message };
    case 'holder_has_mailbox': {
      const held = known ? await findLivePersonalMailbox(db, known.id, agency.province) : null;
      return alreadyHas(held);
    }
  }
}

async function recordCreated(
  deps: ItemDeps,
  mailbox: Mailbox,
  passwordHash: string | undefined,
  policy: ProvincePolicy,
  ctx: ChangeContext,
  exception?: { reason: string; article: string },
): Promise<void> {
  if (passwordHash) await markPasswordIssued(deps.db, mailbox.id, ctx.at);
  await recordMailboxChange(deps, await createdChange(mailbox, passwordHash, policy, exception), ctx);
}

/** A new personal mailbox's change: its `created` history and its `create` command. */
export async function createdChange(
  mailbox: Mailbox,
  passwordHash: string | undefined,
  policy: ProvincePolicy,
  exception?: { reason: string; article: string },
): Promise<MailboxChange> {
  return {
    mailbox,
    history: {
      change: 'created',
      details: {
        address: mailbox.address,
        type: 'personal',
        quotaBytes: policy.personalQuotaBytes,
        ...(exception ? { exception } : {}),
      },
    },
    command: {
      action: 'create',
      passwordHash: passwordHash ?? (await randomPasswordHash()),
      quotaBytes: mailbox.quotaBytes,
      // an issued password the holder must change before first use where the province says so
      ...(passwordHash && policy.firstLoginChange?.onCreate ? { passwordChangeRequired: true } : {}),
    },
  };
}

/** The folded name, position and department the directory keeps of an item's person. */
export function personJob(person: EventPerson) {
  return {
    foldedName: foldedPersonName(person),
    position: person.position?.normalize('NFC') ?? null,
    department: person.department?.normalize('NFC') ?? null,
  };
}

/** The people row of an item's person entering the directory with the agency. */
export function newPerson(
  id: string,
  person: EventPerson,
  agency: Pick<Agency, 'id' | 'province'>,
): Person & { foldedName: string } {
  return {
    id,
    province: agency.province,
    familyName: person.familyName.normalize('NFC').trim(),
    middleName: person.middleName.normalize('NFC').trim(),
    givenName: person.givenName.normalize('NFC').trim(),
    ...personJob(person),
    personKey: person.personKey ?? null,
    agencyId: agency.id,
  };
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
