// Everything a submitted request must satisfy beyond its JSON schema, checked before anything is
// written: the acting agency is the client's own or one of its sub-units (and so is every item's
// agency); every mailbox an item names exists and belongs to that agency's subtree; each item has
// what its operation needs; persons' identity data is consistent; a person who already has a
// mailbox in the agency does not get a second one. A failure throws one AppError listing every
// failing field by path, so the caller writes nothing.
import { listPolicies } from '@hopthu/naming';
import { AppError, type FieldError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import {
  type AgencyRow,
  findAgenciesByIds,
  findLiveCreatesForPersons,
  findLiveMailboxesByAddress,
} from '../../db/replica-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { checkChanges } from './check-changes.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { type DataKeys, keyedHash } from '../secrets.ts';
import { checkPersonIdentity } from './national-id.ts';

export interface CheckDeps {
  db: Kysely<Database>;
  dataKey: DataKeys;
  now: () => Date;
}

const todayInVietnam = (now: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(now);

const within = (agency: AgencyRow | undefined, ancestorId: string) =>
  !!agency && agency.ancestor_ids.includes(ancestorId);

export async function checkSubmission(
  deps: CheckDeps,
  principal: Principal,
  body: SubmitBody,
): Promise<{ agency: AgencyRow }> {
  const forbidden: FieldError[] = [];
  const invalid: FieldError[] = [];
  const conflicts: FieldError[] = [];
  const push = (list: FieldError[], field: string, vi: string, en: string) =>
    list.push({ field, message: { vi, en } });

  const addresses = body.items.flatMap((i) => (i.address ? [i.address.toLowerCase()] : []));
  const mailboxes = await findLiveMailboxesByAddress(deps.db, addresses);
  const agencies = await findAgenciesByIds(deps.db, [
    body.agencyId,
    ...body.items.flatMap((i) => (i.agencyId ? [i.agencyId] : [])),
    ...body.items.flatMap((i) => (i.changes?.agencyId ? [i.changes.agencyId] : [])),
    ...[...mailboxes.values()].map((m) => m.agency_id),
  ]);
  const agency = agencies.get(body.agencyId);
  if (!agency || !within(agency, principal.agencyId)) {
    // The same answer for an unknown agency and another agency's: ids are not probed this way.
    throw new AppError(
      'forbidden',
      {
        vi: 'Cơ quan chỉ được gửi yêu cầu cho chính mình và các đơn vị trực thuộc',
        en: 'An agency may act only for itself and its sub-units',
      },
      {
        errors: [
          {
            field: '/agencyId',
            message: {
              vi: 'Không phải cơ quan của ứng dụng hoặc đơn vị trực thuộc',
              en: "not the client's agency or one of its sub-units",
            },
          },
        ],
      },
    );
  }

  const today = todayInVietnam(deps.now());
  const personHashes = new Map<number, string>();
  body.items.forEach((item, i) => {
    const at = `/items/${i}`;
    const type = item.mailboxType ?? 'personal';
    if (item.agencyId && !within(agencies.get(item.agencyId), body.agencyId))
      push(
        forbidden,
        `${at}/agencyId`,
        'Đơn vị không thuộc cơ quan gửi yêu cầu',
        'the unit is not the requesting agency or one of its sub-units',
      );
    if (item.changes?.agencyId && !within(agencies.get(item.changes.agencyId), principal.agencyId))
      push(
        forbidden,
        `${at}/changes/agencyId`,
        'Chỉ được chuyển sang cơ quan của mình hoặc đơn vị trực thuộc',
        "a transfer may only go to the client's agency or one of its sub-units",
      );
    if (item.operation === 'create') {
      if (type === 'personal' && !item.person)
        push(
          invalid,
          `${at}/person`,
          'Thiếu thông tin người dùng',
          'person is required for a personal mailbox',
        );
    } else if (!item.address) {
      push(invalid, `${at}/address`, 'Thiếu địa chỉ hộp thư', 'address is required for this operation');
    } else {
      const mailbox = mailboxes.get(item.address.toLowerCase());
      if (!mailbox || !within(agencies.get(mailbox.agency_id), body.agencyId)) {
        push(
          forbidden,
          `${at}/address`,
          `Hộp thư ${item.address} không tồn tại hoặc không thuộc cơ quan gửi yêu cầu hay đơn vị trực thuộc`,
          `the mailbox ${item.address} does not exist or does not belong to the requesting agency or its sub-units`,
        );
      } else if (item.mailboxType && item.mailboxType !== mailbox.type) {
        push(
          invalid,
          `${at}/mailboxType`,
          `Hộp thư ${item.address} là hộp thư ${mailbox.type === 'agency' ? 'cơ quan' : 'cá nhân'}`,
          `the mailbox ${item.address} is a ${mailbox.type} mailbox`,
        );
      } else if (item.operation === 'update') {
        for (const problem of checkChanges(item, mailbox.type as 'personal' | 'agency'))
          push(invalid, `${at}${problem.field}`, problem.vi, problem.en);
      }
    }
    if (item.exceptionReason !== undefined) {
      const province = agencies.get(item.agencyId ?? body.agencyId)?.province ?? agency.province;
      if (item.operation !== 'create' || type !== 'personal')
        push(
          invalid,
          `${at}/exceptionReason`,
          'exceptionReason chỉ dùng khi tạo hộp thư cá nhân',
          'exceptionReason is only for creating a personal mailbox',
        );
      else {
        const policy = listPolicies().find((p) => p.id === province);
        const name = policy?.name ?? province;
        if (!policy?.severalPersonalMailboxes)
          push(
            invalid,
            `${at}/exceptionReason`,
            `Quy chế của ${name} không cho phép một người giữ nhiều hộp thư cá nhân`,
            `${name}'s regulation does not let one person hold several personal mailboxes`,
          );
      }
    }
    if (item.changes && item.operation !== 'update')
      push(invalid, `${at}/changes`, 'changes chỉ dùng cho thao tác update', 'changes is only for update');
    if (item.person) {
      const p = item.person;
      for (const problem of checkPersonIdentity(
        {
          ...(p.nationalId !== undefined ? { nationalId: p.nationalId } : {}),
          ...(p.legacyNationalId !== undefined ? { legacyNationalId: p.legacyNationalId } : {}),
          ...(p.dateOfBirth !== undefined ? { dateOfBirth: p.dateOfBirth } : {}),
          ...(p.gender !== undefined ? { gender: p.gender } : {}),
        },
        today,
      ))
        invalid.push({ field: `${at}/person/${problem.field}`, message: problem.message });
      // a declared exception (Đắk Nông Điều 5) is the one case where a second mailbox is asked for
      if (item.operation === 'create' && p.nationalId && item.exceptionReason === undefined)
        personHashes.set(i, keyedHash(deps.dataKey, p.nationalId));
    }
  });

  // One mailbox per person per agency: earlier live creates, and twice in this request.
  if (personHashes.size > 0) {
    const earlier = await findLiveCreatesForPersons(deps.db, [...personHashes.values()]);
    const seen = new Map<string, number>();
    for (const [i, hash] of personHashes) {
      const item = body.items[i]!;
      const unit = item.agencyId ?? body.agencyId;
      const key = `${unit}\u0000${hash}`;
      const at = `/items/${i}/person/nationalId`;
      const before = earlier.find(
        (e) => e.agencyId === unit && e.personHash === hash && e.mailboxState !== 'deleted',
      );
      if (before)
        push(
          conflicts,
          at,
          `Người này đã có hộp thư tại cơ quan${before.address ? ` (${before.address})` : ''}`,
          `this person already has a mailbox in the agency${before.address ? ` (${before.address})` : ''}`,
        );
      else if (seen.has(key))
        push(
          conflicts,
          at,
          `Người này đã được đề nghị tạo hộp thư ở mục ${seen.get(key)}`,
          `this person is already asked for in item ${seen.get(key)}`,
        );
      seen.set(key, i);
    }
  }

  if (forbidden.length)
    throw new AppError(
      'forbidden',
      {
        vi: 'Cơ quan không có quyền với một số đối tượng trong yêu cầu',
        en: 'The agency may not act on some objects of the request',
      },
      { errors: [...forbidden, ...invalid, ...conflicts] },
    );
  if (invalid.length)
    throw new AppError(
      'validation_failed',
      { vi: 'Dữ liệu yêu cầu không hợp lệ', en: 'The request is invalid' },
      { errors: [...invalid, ...conflicts] },
    );
  if (conflicts.length)
    throw new AppError(
      'conflict',
      {
        vi: 'Người được đề nghị đã có hộp thư tại cơ quan',
        en: 'A person asked for already has a mailbox in the agency',
      },
      { errors: conflicts },
    );
  return { agency };
}
