// Submitting a request: authorise, validate, store, approve what the policy approves, and emit
// the events, all in one transaction; the same Idempotency-Key and body answer the same. A bulk
// request (`itemsLater`) is stored and answered first, its items written just after
// (expand-request.ts), with the same answer.
import { createHash } from 'node:crypto';
import { computeDeadline } from '@hopthu/calendar';
import { listPolicies } from '@hopthu/naming';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { Kysely, Transaction } from 'kysely';
import {
  findPendingExpansionsForPersons,
  findSubmission,
  insertPendingExpansion,
  insertRequest,
  listPendingExpansions,
} from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import type { SubmitBody } from './submission.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import type { ApprovalPolicies } from '../approval/approval-policies.ts';
import { planSubmission } from '../approval/plan-submission.ts';
import {
  buildItemRows,
  expandRequest,
  type PendingItems,
  sealPendingItems,
  writeItemRows,
} from './expand-request.ts';
import { deriveRequestStatus } from './request-status.ts';
import { type DataKeys, keyedHash } from '../secrets.ts';
import { checkSubmission } from '../validation/check-submission.ts';
import { judgeFiling } from '../validation/filing-deadline.ts';
import { canonicalJson } from '../validation/idempotency.ts';

export interface SubmitDeps {
  db: Kysely<Database>;
  clock: Clock;
  newId: NewId;
  dataKey: DataKeys;
  /** For a province without a policy file only (SLA_WORKING_DAYS); the policy's `sla` wins. */
  slaWorkingDays: number;
  credentialTtlHours: number;
  publicUrl: string;
  approvalPolicies: ApprovalPolicies;
}

/**
 * The body with every string in Unicode NFC. What is already NFC (nearly everything an agency
 * sends) is kept as it is, not copied: a 500-item body copied object by object was a large part of
 * a bulk POST's garbage.
 */
function nfc<T>(v: T): T {
  if (typeof v === 'string') return v.normalize('NFC') as T;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = nfc(v[i]);
      if (x === v[i]) continue;
      out ??= [...v];
      out[i] = x;
    }
    return (out ?? v) as T;
  }
  if (v && typeof v === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const y = nfc(x);
      if (y === x) continue;
      out ??= { ...(v as Record<string, unknown>) };
      out[k] = y;
    }
    return (out ?? v) as T;
  }
  return v;
}

export interface SubmitInput {
  /** Who files it: an agency's API client, an operator, SCIM, the import. */
  principal: Principal;
  idempotencyKey: string;
  body: SubmitBody;
  /** Stored with the request in its transaction (a paper request's scan); not run on a replay. */
  alsoStore?: ((trx: Transaction<Database>, requestId: string) => Promise<void>) | undefined;
  /**
   * Bulk: answer once the request is stored with a sealed copy of its items, and write the items
   * just after (expand-request.ts; the caller wakes the writer). The answer is the same.
   */
  itemsLater?: boolean | undefined;
}

export async function submitRequest(deps: SubmitDeps, input: SubmitInput) {
  const { principal, idempotencyKey, alsoStore } = input;
  const body = nfc(input.body);
  const canonicalBody = canonicalJson(body);
  const bodyHash = createHash('sha256').update(canonicalBody).digest('hex');
  const previous = await findSubmission(deps.db, principal.clientId, idempotencyKey);
  if (previous) {
    if (previous.body_hash !== bodyHash) {
      throw new AppError('idempotency_conflict', {
        vi: 'Idempotency-Key đã được dùng cho một yêu cầu khác',
        en: 'This Idempotency-Key was already used with a different body',
      });
    }
    return previous.response as Record<string, unknown>;
  }

  await expandPendingForSamePeople(deps, body);
  const { agency } = await checkSubmission(deps, { principal, body });

  const plan = await planSubmission(deps, {
    policy: deps.approvalPolicies.policyFor(agency.province),
    items: body.items,
  });
  const receivedAt = deps.clock.now();
  // The province's own SLA (its policy file: Bắc Ninh Điều 4 khoản 2 điểm b, 2 working days);
  // SLA_WORKING_DAYS only for a province that has no policy.
  const policy = listPolicies().find((p) => p.id === agency.province);
  const sla = policy?.sla.workingDays ?? deps.slaWorkingDays;
  const deadline = computeDeadline(receivedAt, sla);
  // Filed later than the province allows after the decision (Thanh Hóa Điều 15 khoản 3): accepted, flagged.
  const lateFiling = judgeFiling(policy?.filingDeadline, body.reference.decision?.effectiveDate, receivedAt);
  const requestId = deps.newId();
  // each item's id and status, decided now: the answer names them, whenever the rows are written
  const pending: PendingItems = {
    requestId,
    clientId: principal.clientId,
    agencyId: body.agencyId,
    province: agency.province,
    receivedAt: receivedAt.toISOString(),
    items: body.items.map((item, seq) => {
      const { mailboxType, approvalsNeeded } = plan[seq]!;
      const status = approvalsNeeded === 0 ? ('approved' as const) : ('pending_approval' as const);
      return { id: deps.newId(), status, mailboxType, approvalsNeeded, item };
    }),
  };
  const answered = pending.items.map((i) => ({ id: i.id, operation: i.item.operation, status: i.status }));
  const status = deriveRequestStatus(answered.map((i) => i.status));
  const response = {
    id: requestId,
    status,
    dueAt: deadline.dueAtIso,
    dueConfirmed: deadline.confirmed,
    ...(lateFiling ? { lateFiling } : {}),
    items: answered,
  };
  const correlationId = requestId;
  const submitted = buildEvent(
    'vn.gov.hopthu.request.submitted.v1',
    {
      requestId,
      agencyId: body.agencyId,
      province: agency.province,
      receivedAt: receivedAt.toISOString(),
      dueAt: deadline.dueAt.toISOString(),
      dueConfirmed: deadline.confirmed,
      reference: body.reference,
      itemCount: body.items.length,
    },
    { source: 'hopthu/requests', subject: requestId, correlationId },
  );
  const storeRequest = async (trx: Transaction<Database>) => {
    await insertRequest(trx, {
      id: requestId,
      clientId: principal.clientId,
      clientAgencyId: principal.agencyId,
      agencyId: body.agencyId,
      province: agency.province,
      status,
      receivedAt,
      dueAt: deadline.dueAt,
      dueConfirmed: deadline.confirmed,
      reference: body.reference,
      requester: body.requester,
      idempotencyKey,
      bodyHash,
      response,
    });
    await insertOutboxMessage(trx, { topic: Topics.requests, key: requestId, event: submitted });
  };

  if (input.itemsLater) {
    // bulk: stored and answered now, the items written just after (expand-request.ts)
    const payloadEnc = sealPendingItems(deps.dataKey, pending, canonicalBody);
    const personHashes = createdPersonHashes(deps.dataKey, body);
    await deps.db.transaction().execute(async (trx) => {
      await storeRequest(trx);
      await insertPendingExpansion(trx, { requestId, payloadEnc, personHashes });
      await alsoStore?.(trx, requestId);
    });
    return response;
  }

  // Everything a row or an event holds is built before the transaction opens (a 500-item request
  // is ~25 ms of CPU here): the connection is held only for the statements, one per table.
  const rows = await buildItemRows(deps, pending);
  return deps.db.transaction().execute(async (trx) => {
    await storeRequest(trx);
    // one statement per table for the whole request (a 500-item request is a handful of round trips)
    await writeItemRows(trx, rows);
    await alsoStore?.(trx, requestId);
    return response;
  });
}

/** The keyed hashes of the national IDs the request's create items name (the duplicate-person check reads them). */
function createdPersonHashes(dataKey: DataKeys, body: SubmitBody): string[] {
  const hashes = new Set<string>();
  for (const item of body.items) {
    const id = item.person?.nationalId;
    if (item.operation === 'create' && id) hashes.add(keyedHash(dataKey, id));
  }
  return [...hashes];
}

/**
 * A bulk request answered moments ago whose items are not written yet must still count in the
 * duplicate-person check of this one (a second create for the same person is refused): such
 * requests naming one of this body's people have their items written first.
 */
async function expandPendingForSamePeople(deps: SubmitDeps, body: SubmitBody): Promise<void> {
  if (!body.items.some((i) => i.operation === 'create' && i.person?.nationalId)) return;
  if ((await listPendingExpansions(deps.db, 1)).length === 0) return;
  const pendingIds = await findPendingExpansionsForPersons(deps.db, createdPersonHashes(deps.dataKey, body));
  for (const id of pendingIds) await expandRequest(deps, id, { wait: true });
}
