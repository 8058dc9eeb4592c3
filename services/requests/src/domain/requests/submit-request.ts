// Submitting a request: authorise, validate, store, approve what the policy approves, and emit
// the events, all in one transaction; the same Idempotency-Key and body answer the same.
import { createHash } from 'node:crypto';
import { computeDeadline } from '@hopthu/calendar';
import { listPolicies } from '@hopthu/naming';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage, insertOutboxMessages } from '@hopthu/shared/outbox';
import type { Kysely, Transaction } from 'kysely';
import { insertCredentials, type NewCredential } from '../../db/credential-repository.ts';
import {
  insertItems,
  insertTransitions,
  type NewItem,
  type NewTransition,
} from '../../db/item-repository.ts';
import { findSubmission, insertRequest } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import { itemChanges, type SubmitBody } from './submission.ts';
import type { Principal } from '../auth/verify-access-token.ts';
import type { ApprovalPolicies } from '../approval/approval-policies.ts';
import { eventPerson } from '../approval/item-approved-event.ts';
import { planSubmission } from '../approval/plan-submission.ts';
import { deriveRequestStatus } from './request-status.ts';
import { type DataKeys, encrypt, generatePassword, hashGeneratedPassword } from '../secrets.ts';
import { isHandover, issuesPassword } from '../self-service/issued-passwords.ts';
import { checkSubmission } from '../validation/check-submission.ts';
import { judgeFiling } from '../validation/filing-deadline.ts';
import { canonicalJson } from '../validation/idempotency.ts';
import { sealPerson } from '../validation/personal-data.ts';

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
}

export async function submitRequest(deps: SubmitDeps, input: SubmitInput) {
  const { principal, idempotencyKey, alsoStore } = input;
  const body = nfc(input.body);
  const bodyHash = createHash('sha256').update(canonicalJson(body)).digest('hex');
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
  const actor = `client:${principal.clientId}`;
  const correlationId = requestId;
  // Everything a row or an event holds is built before the transaction opens (a 500-item request
  // is ~25 ms of CPU here): the connection is held only for the statements, one per table.
  const items: NewItem[] = [];
  const transitions: NewTransition[] = [];
  const credentials: NewCredential[] = [];
  const events: Parameters<typeof insertOutboxMessages>[1] = [];
  const answered: { id: string; operation: string; status: 'approved' | 'pending_approval' }[] = [];
  const expiresAt = new Date(receivedAt.getTime() + deps.credentialTtlHours * 3600_000);
  body.items.forEach((item, seq) => {
    const { mailboxType, approvalsNeeded } = plan[seq]!;
    const approved = approvalsNeeded === 0;
    const itemStatus = approved ? 'approved' : 'pending_approval';
    const id = deps.newId();
    const password =
      approved && issuesPassword(item.operation, agency.province, isHandover(item, mailboxType))
        ? generatePassword()
        : null;
    const address = item.address?.toLowerCase();
    const changes = itemChanges(item);
    const exceptionReason = item.exceptionReason?.normalize('NFC');
    const sealed = sealPerson(deps.dataKey, item.person);
    answered.push({ id, operation: item.operation, status: itemStatus });
    items.push({
      id,
      requestId,
      seq,
      operation: item.operation,
      mailboxType,
      agencyId: item.agencyId ?? body.agencyId,
      status: itemStatus,
      approvalsNeeded,
      person: sealed.person,
      nationalIdEnc: sealed.national_id_enc,
      nationalIdHash: sealed.national_id_hash,
      dateOfBirthEnc: sealed.date_of_birth_enc,
      address: address ?? null,
      // a rename_unit's `unit`, an alias item's alias: what it changes, stored as the item's changes
      changes,
      reason: item.reason ?? null,
      exceptionReason: exceptionReason ?? null,
    });
    transitions.push({
      itemId: id,
      from: null,
      to: itemStatus,
      actor,
      reason: approved ? 'Tự động phê duyệt theo quy định của tỉnh' : null,
      at: receivedAt,
    });
    if (password) {
      credentials.push({
        itemId: id,
        passwordEnc: encrypt(deps.dataKey, password),
        expiresAt,
        createdAt: receivedAt,
      });
    }
    if (approved) {
      const person = item.person;
      events.push({
        topic: Topics.requests,
        key: requestId,
        event: buildEvent(
          'vn.gov.hopthu.request.item.approved.v1',
          {
            requestId,
            itemId: id,
            agencyId: item.agencyId ?? body.agencyId,
            province: agency.province,
            operation: item.operation as 'create',
            mailboxType,
            ...(person
              ? {
                  // the keyed hash of the national ID, as sealed for the item's row
                  person: eventPerson(person, sealed.national_id_hash),
                }
              : {}),
            ...(address ? { address } : {}),
            ...(password ? { passwordHash: hashGeneratedPassword(password) } : {}),
            ...(item.reason ? { reason: item.reason } : {}),
            ...(changes ? { changes } : {}),
            ...(exceptionReason ? { exceptionReason } : {}),
            approvedBy: 'policy:auto',
            filedBy: principal.clientId,
          },
          { source: 'hopthu/requests', subject: id, correlationId },
        ),
      });
    }
  });
  const status = deriveRequestStatus(answered.map((i) => i.status));
  const response = {
    id: requestId,
    status,
    dueAt: deadline.dueAtIso,
    dueConfirmed: deadline.confirmed,
    ...(lateFiling ? { lateFiling } : {}),
    items: answered,
  };
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

  return deps.db.transaction().execute(async (trx) => {
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
    // one statement per table for the whole request (a 500-item request is a handful of round trips)
    await insertItems(trx, items);
    await insertTransitions(trx, transitions);
    await insertCredentials(trx, credentials);
    await insertOutboxMessages(trx, events);
    await alsoStore?.(trx, requestId);
    return response;
  });
}
