// The checks of one submitted item, by kind: its scope (the unit and a transfer's target lie in the
// client's subtree), its target (a create has what it needs; any other operation names an existing
// mailbox of the subtree, of the type given, with changes its type allows), a declared exception
// and the person's identity data. Each adds what fails to the shared Problems; none reads the
// database (check-submission.ts loads what they look at).
import { listPolicies } from '@hopthu/naming';
import type { FieldError } from '@hopthu/shared/errors';
import type { AgencyRow, MailboxRow } from '../../db/replica-repository.ts';
import type { SubmitBody } from '../requests/submission.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { checkChanges } from './check-changes.ts';
import { checkRestoreDeleted } from './check-restore-deleted.ts';
import { checkPersonIdentity } from './national-id.ts';

export type Item = SubmitBody['items'][number];

/** What fails, by the answer it gets: 403, 400 or 409 (the first non-empty list wins). */
export class Problems {
  readonly forbidden: FieldError[] = [];
  readonly invalid: FieldError[] = [];
  readonly conflicts: FieldError[] = [];
  add(list: 'forbidden' | 'invalid' | 'conflicts', field: string, vi: string, en: string) {
    this[list].push({ field, message: { vi, en } });
  }
}

/** What the item checks look at, loaded once for the whole request. */
export interface ItemContext {
  body: SubmitBody;
  principal: Principal;
  agency: AgencyRow;
  agencies: Map<string, AgencyRow>;
  mailboxes: Map<string, MailboxRow>;
  /** Today in Vietnam, YYYY-MM-DD (for dates of birth). */
  today: string;
  /** Deleted mailboxes a restore_deleted item names, by lower-case address (check-restore-deleted.ts). */
  deletedMailboxes: Map<string, MailboxRow>;
  now: Date;
}

export const within = (agency: AgencyRow | undefined, ancestorId: string) =>
  !!agency && agency.ancestor_ids.includes(ancestorId);

export function checkItemScope(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  if (item.agencyId && !within(ctx.agencies.get(item.agencyId), ctx.body.agencyId))
    problems.add(
      'forbidden',
      `${at}/agencyId`,
      'Đơn vị không thuộc cơ quan gửi yêu cầu',
      'the unit is not the requesting agency or one of its sub-units',
    );
  if (item.changes?.agencyId && !within(ctx.agencies.get(item.changes.agencyId), ctx.principal.agencyId))
    problems.add(
      'forbidden',
      `${at}/changes/agencyId`,
      'Chỉ được chuyển sang cơ quan của mình hoặc đơn vị trực thuộc',
      "a transfer may only go to the client's agency or one of its sub-units",
    );
}

/** `changes` belongs to an update only (checked after the target, as the answer lists it). */
export function checkChangesOperation(item: Item, at: string, problems: Problems) {
  if (item.changes && item.operation !== 'update')
    problems.add(
      'invalid',
      `${at}/changes`,
      'changes chỉ dùng cho thao tác update',
      'changes is only for update',
    );
}

export function checkItemTarget(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  if (item.operation === 'create') {
    if ((item.mailboxType ?? 'personal') === 'personal' && !item.person)
      problems.add(
        'invalid',
        `${at}/person`,
        'Thiếu thông tin người dùng',
        'person is required for a personal mailbox',
      );
    return;
  }
  if (!item.address) {
    problems.add(
      'invalid',
      `${at}/address`,
      'Thiếu địa chỉ hộp thư',
      'address is required for this operation',
    );
    return;
  }
  if (item.operation === 'restore_deleted') {
    checkRestoreDeleted(ctx, item, at, problems);
    return;
  }
  const mailbox = ctx.mailboxes.get(item.address.toLowerCase());
  if (!mailbox || !within(ctx.agencies.get(mailbox.agency_id), ctx.body.agencyId)) {
    problems.add(
      'forbidden',
      `${at}/address`,
      `Hộp thư ${item.address} không tồn tại hoặc không thuộc cơ quan gửi yêu cầu hay đơn vị trực thuộc`,
      `the mailbox ${item.address} does not exist or does not belong to the requesting agency or its sub-units`,
    );
  } else if (item.mailboxType && item.mailboxType !== mailbox.type) {
    problems.add(
      'invalid',
      `${at}/mailboxType`,
      `Hộp thư ${item.address} là hộp thư ${mailbox.type === 'agency' ? 'cơ quan' : 'cá nhân'}`,
      `the mailbox ${item.address} is a ${mailbox.type} mailbox`,
    );
  } else if (item.operation === 'update') {
    for (const problem of checkChanges(item, mailbox.type as 'personal' | 'agency'))
      problems.add('invalid', `${at}${problem.field}`, problem.vi, problem.en);
  }
}

export function checkExceptionReason(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  if (item.exceptionReason === undefined) return;
  if (item.operation !== 'create' || (item.mailboxType ?? 'personal') !== 'personal') {
    problems.add(
      'invalid',
      `${at}/exceptionReason`,
      'exceptionReason chỉ dùng khi tạo hộp thư cá nhân',
      'exceptionReason is only for creating a personal mailbox',
    );
    return;
  }
  const province = ctx.agencies.get(item.agencyId ?? ctx.body.agencyId)?.province ?? ctx.agency.province;
  const policy = listPolicies().find((p) => p.id === province);
  const name = policy?.name ?? province;
  if (!policy?.severalPersonalMailboxes)
    problems.add(
      'invalid',
      `${at}/exceptionReason`,
      `Quy chế của ${name} không cho phép một người giữ nhiều hộp thư cá nhân`,
      `${name}'s regulation does not let one person hold several personal mailboxes`,
    );
}

export function checkItemPerson(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  const p = item.person;
  if (!p) return;
  for (const problem of checkPersonIdentity(
    {
      ...(p.nationalId !== undefined ? { nationalId: p.nationalId } : {}),
      ...(p.legacyNationalId !== undefined ? { legacyNationalId: p.legacyNationalId } : {}),
      ...(p.dateOfBirth !== undefined ? { dateOfBirth: p.dateOfBirth } : {}),
      ...(p.gender !== undefined ? { gender: p.gender } : {}),
    },
    ctx.today,
  ))
    problems.invalid.push({ field: `${at}/person/${problem.field}`, message: problem.message });
}
