// Everything a submitted request must satisfy beyond its JSON schema, checked before anything is
// written: the acting agency is the client's own or one of its sub-units (and so is every item's
// agency); every mailbox an item names exists and belongs to that agency's subtree; each item has
// what its operation needs; persons' identity data is consistent; a person who already has a
// mailbox in the agency does not get a second one. A failure throws one AppError listing every
// failing field by path, so the caller writes nothing. The per-item checks are in check-item.ts.
import type { Clock } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import { isUnitOperation } from '@hopthu/shared/events';
import type { Kysely } from 'kysely';
import {
  type AgencyRow,
  findAgenciesByIds,
  findDeletedMailboxesByAddress,
  findLiveCreatesForPersons,
  findLiveMailboxesByAddress,
} from '../../db/replica-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { SubmitBody } from '../requests/submission.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import { type DataKeys, keyedHash } from '../secrets.ts';
import {
  checkChangesOperation,
  checkExceptionReason,
  checkItemPerson,
  checkItemScope,
  checkItemTarget,
  type ItemContext,
  Problems,
  within,
} from './check-item.ts';
import { checkAliasItem } from './check-alias-item.ts';
import { checkForwardItem } from './check-forward-item.ts';
import { checkDissolvedUnits } from './check-dissolved-unit.ts';
import { checkUnitItem } from './check-unit-item.ts';

export interface CheckDeps {
  db: Kysely<Database>;
  dataKey: DataKeys;
  clock: Clock;
}

// made once: building an Intl.DateTimeFormat costs about a millisecond, formatting microseconds
const vietnamDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
const todayInVietnam = (now: Date) => vietnamDay.format(now);

export async function checkSubmission(
  deps: CheckDeps,
  { principal, body }: { principal: Principal; body: SubmitBody },
): Promise<{ agency: AgencyRow }> {
  const ctx = await loadContext(deps, principal, body);
  const problems = new Problems();
  body.items.forEach((item, i) => {
    const at = `/items/${i}`;
    checkItemScope(ctx, item, at, problems);
    // an item about the unit itself names no mailbox (check-unit-item.ts)
    if (!isUnitOperation(item.operation)) checkItemTarget(ctx, item, at, problems);
    checkUnitItem(ctx, item, at, problems);
    checkAliasItem(ctx, item, at, problems);
    checkForwardItem(ctx, item, at, problems);
    checkExceptionReason(ctx, item, at, problems);
    checkChangesOperation(item, at, problems);
    checkItemPerson(ctx, item, at, problems);
  });
  checkDissolvedUnits(ctx, problems);
  await checkOnePerPerson(deps, body, problems);
  throwProblems(problems);
  return { agency: ctx.agency };
}

/** Loads what the item checks look at; refuses an acting agency outside the client's subtree. */
async function loadContext(deps: CheckDeps, principal: Principal, body: SubmitBody): Promise<ItemContext> {
  const addresses = body.items.flatMap((i) => (i.address ? [i.address.toLowerCase()] : []));
  const mailboxes = await findLiveMailboxesByAddress(deps.db, addresses);
  const deletedMailboxes = await findDeletedMailboxesByAddress(
    deps.db,
    body.items.flatMap((i) =>
      i.operation === 'restore_deleted' && i.address ? [i.address.toLowerCase()] : [],
    ),
  );
  const agencies = await findAgenciesByIds(deps.db, [
    body.agencyId,
    ...[...deletedMailboxes.values()].map((m) => m.agency_id),
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
  const now = deps.clock.now();
  return { body, principal, agency, agencies, mailboxes, deletedMailboxes, now, today: todayInVietnam(now) };
}

/**
 * One mailbox per person per agency: earlier live creates, and twice in this request. A declared
 * exception (Đắk Nông Điều 5) is the one case where a second mailbox is asked for.
 */
async function checkOnePerPerson(deps: CheckDeps, body: SubmitBody, problems: Problems) {
  const personHashes = new Map<number, string>();
  body.items.forEach((item, i) => {
    const id = item.person?.nationalId;
    if (item.operation === 'create' && id && item.exceptionReason === undefined)
      personHashes.set(i, keyedHash(deps.dataKey, id));
  });
  if (personHashes.size === 0) return;
  const earlier = await findLiveCreatesForPersons(deps.db, [...personHashes.values()]);
  const seen = new Map<string, number>();
  for (const [i, hash] of personHashes) {
    const unit = body.items[i]!.agencyId ?? body.agencyId;
    const key = `${unit}\u0000${hash}`;
    const at = `/items/${i}/person/nationalId`;
    const before = earlier.find(
      (e) => e.agencyId === unit && e.personHash === hash && e.mailboxState !== 'deleted',
    );
    const where = before?.address ? ` (${before.address})` : '';
    if (before)
      problems.add(
        'conflicts',
        at,
        `Người này đã có hộp thư tại cơ quan${where}`,
        `this person already has a mailbox in the agency${where}`,
      );
    else if (seen.has(key))
      problems.add(
        'conflicts',
        at,
        `Người này đã được đề nghị tạo hộp thư ở mục ${seen.get(key)}`,
        `this person is already asked for in item ${seen.get(key)}`,
      );
    seen.set(key, i);
  }
}

/** One answer for everything that failed: 403 before 400 before 409, each listing what follows. */
function throwProblems({ forbidden, invalid, conflicts }: Problems) {
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
      conflicts.every((c) => c.field.endsWith('/person/nationalId'))
        ? {
            vi: 'Người được đề nghị đã có hộp thư tại cơ quan',
            en: 'A person asked for already has a mailbox in the agency',
          }
        : {
            vi: 'Yêu cầu xung đột với danh bạ hiện tại (xem từng trường)',
            en: 'The request conflicts with the directory as it is (see each field)',
          },
      { errors: conflicts },
    );
}
