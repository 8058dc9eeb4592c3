// `update` items. A change of position or department touches only the directory (a new mailbox
// state, answered `applied` at once). A transfer to another agency changes the address where the
// province's rule puts the agency in it (Bắc Ninh tvanh.stttt → tvanh.snv): the old address stays
// an alias for the transition period and a `rename` command goes to the mail server; in Khánh Hòa
// (no agency part) a transfer changes only the directory. `changes.convertAddress: true` moves an
// address made under an older rule to the current rule. An agency mailbox handed to a new head
// (`changes.head` or the item's `person`) keeps its address; when the item carries a new password
// (the requests service issues one where the province's policy has `agencyHandover`: Đắk Nông
// Điều 13 khoản 2), the password is reset too and the filer receives the one-time credential.
import { getPolicy, type NamingInput } from '@hopthu/naming';
import type { ItemApproved } from '@hopthu/shared/events';
import { type Agency, findAgencyById, findAgencyLineage } from '../../db/agency-repository.ts';
import { findLiveAgencyMailbox, type Mailbox, updateMailbox } from '../../db/mailbox-repository.ts';
import { markPasswordIssued } from '../../db/password-repository.ts';
import { findPersonById, updatePersonJob } from '../../db/person-repository.ts';
import type { ChangeContext } from '../deps.ts';
import { changeMailboxAddress } from '../mailboxes/change-address.ts';
import { agencyPartForPerson, personalNamingInput, unitNamingInput } from '../mailboxes/naming-input.ts';
import { pickAddress, ruleCandidates } from '../mailboxes/pick-address.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import { setMailboxState } from '../mailboxes/set-mailbox-state.ts';
import { awaitOperator } from './await-operator.ts';
import { findOwnedMailbox } from './find-owned-mailbox.ts';
import type { ItemDeps, ItemOutcome, OperationInput } from './item-outcome.ts';

const PERSONAL_CHANGES = ['position', 'department', 'agencyId', 'convertAddress'];
const AGENCY_CHANGES = ['head', 'convertAddress'];

/** The item (its forcedLocal: a local part an operator decided for an address change) and its mailbox. */
type Update = OperationInput & { mailbox: Mailbox };

type Reason = { vi: string; en: string };
const failed = (vi: string, en: string): ItemOutcome => ({ outcome: 'failed', reason: { vi, en } });

export async function updateMailboxEntry(deps: ItemDeps, input: OperationInput): Promise<ItemOutcome> {
  const owned = await findOwnedMailbox(deps.db, input.item);
  if (!owned.ok) return { outcome: 'failed', reason: owned.reason };
  const update: Update = { ...input, mailbox: owned.mailbox };
  return owned.mailbox.type === 'agency'
    ? updateAgencyMailbox(deps, update)
    : updatePersonalMailbox(deps, update);
}

async function updatePersonalMailbox(deps: ItemDeps, update: Update): Promise<ItemOutcome> {
  const { db } = deps;
  const { item, mailbox, ctx } = update;
  const changes = { ...(item.changes ?? {}), ...jobFromPerson(item) };
  const bad = unsupported(changes, PERSONAL_CHANGES);
  if (bad) return { outcome: 'failed', reason: bad };
  for (const key of ['position', 'department'] as const) {
    if (changes[key] !== undefined && changes[key] !== null && typeof changes[key] !== 'string') {
      return failed(`${key} phải là chuỗi`, `${key} must be a string`);
    }
  }
  const person = mailbox.personId ? await findPersonById(db, mailbox.personId) : null;
  if (!person) throw new Error(`personal mailbox ${mailbox.id} has no person`);
  const policy = getPolicy(mailbox.province);

  let target: Agency | null = null;
  if (changes.agencyId !== undefined && changes.agencyId !== mailbox.agencyId) {
    target = typeof changes.agencyId === 'string' ? await findAgencyById(db, changes.agencyId) : null;
    if (!target || target.province !== mailbox.province) {
      return failed(
        'Cơ quan chuyển đến không có trong tỉnh',
        'The agency to transfer to is not in this province',
      );
    }
  }
  const convert = changes.convertAddress === true;
  let newLocal: string | null = null;
  if ((target && policy.personal.agencyPart) || convert) {
    const agency = target ?? (await findAgencyById(db, mailbox.agencyId));
    if (!agency) throw new Error(`agency ${mailbox.agencyId} not found`);
    const official = await findLiveAgencyMailbox(db, agency.id);
    const naming = personalNamingInput(person, agencyPartForPerson(agency, official?.localPart ?? null));
    const picked = await pickNewLocal(deps, update, naming, !target);
    if (picked.outcome !== 'local') return picked.result;
    newLocal = picked.local;
  }

  const job = {
    position: changes.position as string | null | undefined,
    department: changes.department as string | null | undefined,
    ...(target ? { agencyId: target.id } : {}),
  };
  await updatePersonJob(db, person.id, job, ctx.at);
  const directoryChanges = Object.fromEntries(
    Object.entries(changes).filter(([key]) => key !== 'convertAddress'),
  );
  if (Object.keys(directoryChanges).length > 0) {
    // its state goes out with the rest of the update (finishUpdate)
    await recordMailboxChange(
      deps,
      {
        mailbox,
        history: { change: 'directory_updated', details: { changes: directoryChanges } },
        publish: false,
      },
      ctx,
    );
  }
  return finishUpdate(deps, update, {
    newLocal,
    agencyId: target?.id,
    why: target ? 'transfer' : 'converted_to_rule',
  });
}

async function updateAgencyMailbox(deps: ItemDeps, update: Update): Promise<ItemOutcome> {
  const { db } = deps;
  const { item, mailbox, ctx } = update;
  const changes: Record<string, unknown> = { ...(item.changes ?? {}) };
  if (item.person && changes.head === undefined) changes.head = item.person;
  const bad = unsupported(changes, AGENCY_CHANGES);
  if (bad) return { outcome: 'failed', reason: bad };
  const head = changes.head === undefined ? undefined : parseHead(changes.head);
  if (head === null) {
    return failed(
      'head phải có familyName, middleName, givenName',
      'head must have familyName, middleName and givenName',
    );
  }
  let newLocal: string | null = null;
  if (changes.convertAddress === true) {
    const lineage = await findAgencyLineage(db, mailbox.agencyId);
    const picked = await pickNewLocal(deps, update, unitNamingInput(lineage), true);
    if (picked.outcome !== 'local') return picked.result;
    newLocal = picked.local;
  }
  if (!head) return finishUpdate(deps, update, { newLocal, why: 'converted_to_rule' });
  // The box belongs to the office, not the person: a new head takes it over as it is; where the
  // policy says so (agencyHandover) under a new password whose one-time credential goes to the filer.
  await recordMailboxChange(
    deps,
    {
      mailbox,
      history: {
        change: 'handed_over',
        details: { head, address: mailbox.address, passwordReset: !!item.passwordHash },
      },
      // its state goes out with the reset or the rest of the update
      publish: false,
    },
    ctx,
  );
  if (!item.passwordHash) return finishUpdate(deps, update, { newLocal, why: 'converted_to_rule' });
  const policy = getPolicy(mailbox.province);
  const article = policy.agencyHandover ? `${policy.name} ${policy.agencyHandover.article}` : null;
  const reset = await setMailboxState(deps, {
    before: mailbox,
    target: HANDOVER_RESET,
    ctx,
    passwordHash: item.passwordHash,
    ...(policy.firstLoginChange?.onReset ? { passwordChangeRequired: true } : {}),
    details: { handover: true, article },
  });
  await markPasswordIssued(db, reset.id, ctx.at);
  if (newLocal === null) return { outcome: 'commanded', mailbox: reset };
  return finishUpdate(deps, { ...update, mailbox: reset }, { newLocal, why: 'converted_to_rule' });
}

/** A handover resets the agency mailbox's password (history `password_reset`, a set_password command). */
const HANDOVER_RESET = { action: 'set_password', state: null, change: 'password_reset' } as const;

/**
 * Ends an update: with a new local part, moves the mailbox there (a `rename` command, the old
 * address kept as an alias); otherwise a directory-only change, answered `applied` at once.
 */
async function finishUpdate(
  deps: ItemDeps,
  { mailbox, ctx }: Update,
  change: { newLocal: string | null; agencyId?: string | undefined; why: 'transfer' | 'converted_to_rule' },
): Promise<ItemOutcome> {
  const { newLocal, agencyId } = change;
  if (newLocal !== null) {
    const moved = await changeMailboxAddress(deps, { mailbox, newLocal, agencyId, why: change.why, ctx });
    // Lost a race for the address: the inbox retries the item, which then picks another one.
    if (!moved) throw new Error(`address ${newLocal}@${mailbox.domain} was taken concurrently`);
    return { outcome: 'commanded', mailbox: moved };
  }
  await updateMailbox(deps.db, mailbox.id, agencyId ? { agencyId } : {}, ctx.at);
  await recordMailboxChange(deps, { mailbox }, ctx);
  return { outcome: 'applied', mailbox: { ...mailbox, agencyId: agencyId ?? mailbox.agencyId } };
}

/**
 * The new local part under the rule, or how the item is answered instead: unchanged when the
 * current address is already one the rule gives (`keepIfConforming`), an operator's decision
 * where the province leaves collisions to one, or failed.
 */
async function pickNewLocal(
  deps: ItemDeps,
  { item, mailbox, ctx, forcedLocal }: Update,
  input: NamingInput,
  keepIfConforming: boolean,
): Promise<{ outcome: 'local'; local: string } | { outcome: 'answered'; result: ItemOutcome }> {
  const policy = getPolicy(mailbox.province);
  if (keepIfConforming && forcedLocal === undefined) {
    try {
      if (ruleCandidates(policy, input).includes(mailbox.localPart)) {
        return { outcome: 'answered', result: await alreadyConforming(deps, mailbox, ctx) };
      }
    } catch {
      // a naming error is reported by pickAddress below
    }
  }
  const picked = await pickAddress(deps.db, {
    policy,
    input,
    forcedLocal,
    at: ctx.at,
    ownAgencyId: mailbox.type === 'agency' ? mailbox.agencyId : undefined,
  });
  switch (picked.outcome) {
    case 'local':
      return picked;
    case 'error':
      return { outcome: 'answered', result: { outcome: 'failed', reason: picked.message } };
    case 'operator': {
      const result = await awaitOperator(deps, {
        item,
        ctx,
        province: mailbox.province,
        candidates: picked.candidates,
        reason: `address change of ${mailbox.address}: ${policy.name}: ${policy.collision.article}`,
      });
      return { outcome: 'answered', result };
    }
  }
}

async function alreadyConforming(deps: ItemDeps, mailbox: Mailbox, ctx: ChangeContext): Promise<ItemOutcome> {
  // nothing others see changes: a history note only
  await recordMailboxChange(
    deps,
    {
      mailbox,
      history: {
        change: 'address_kept',
        details: { address: mailbox.address, note: 'already follows the current rule' },
      },
      publish: false,
    },
    ctx,
  );
  return { outcome: 'applied', mailbox };
}

function unsupported(changes: Record<string, unknown>, known: string[]): Reason | null {
  const unknown = Object.keys(changes).filter((key) => !known.includes(key));
  if (unknown.length === 0 && Object.keys(changes).length > 0) return null;
  const what = unknown.join(', ') || '(không có thay đổi)';
  return {
    vi: `Thay đổi không được hỗ trợ: ${what}; chỉ ${known.join(', ')}`,
    en: `Unsupported change: ${unknown.join(', ') || '(no change)'}; only ${known.join(', ')}`,
  };
}

function parseHead(value: unknown): Record<string, string> | null {
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  const head: Record<string, string> = {};
  for (const key of ['familyName', 'middleName', 'givenName', 'position']) {
    if (v[key] === undefined) continue;
    if (typeof v[key] !== 'string') return null;
    head[key] = (v[key] as string).normalize('NFC');
  }
  if (!head.familyName || !head.givenName) return null;
  return head;
}

// Requests may carry the new job in `person` instead of `changes`.
function jobFromPerson(item: ItemApproved): Record<string, unknown> {
  const job: Record<string, unknown> = {};
  if (item.person?.position !== undefined) job.position = item.person.position;
  if (item.person?.department !== undefined) job.department = item.person.department;
  return job;
}
