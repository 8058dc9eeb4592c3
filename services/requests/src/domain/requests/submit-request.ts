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
import { type DataKeys, encrypt, generatePassword, hashGeneratedPassword, keyedHash } from '../secrets.ts';
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

const nfc = <T>(v: T): T =>
  (typeof v === 'string'
    ? v.normalize('NFC')
    : Array.isArray(v)
      ? v.map(nfc)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nfc(x)]))
        : v) as T;

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
  const prepared = await Promise.all(
    body.items.map(async (item, seq) => {
      const { mailboxType, approvalsNeeded } = plan[seq]!;
      const approved = approvalsNeeded === 0;
      const needsPassword =
        approved && issuesPassword(item.operation, agency.province, isHandover(item, mailboxType));
      const password = needsPassword ? generatePassword() : null;
      return {
        item,
        seq,
        mailboxType,
        approved,
        approvalsNeeded,
        password,
        hash: password ? hashGeneratedPassword(password) : undefined,
        id: deps.newId(),
      };
    }),
  );

  return deps.db.transaction().execute(async (trx) => {
    const statuses = prepared.map(
      (p) => (p.approved ? 'approved' : 'pending_approval') as 'approved' | 'pending_approval',
    );
    const status = deriveRequestStatus(statuses);
    const response = {
      id: requestId,
      status,
      dueAt: deadline.dueAtIso,
      dueConfirmed: deadline.confirmed,
      ...(lateFiling ? { lateFiling } : {}),
      items: prepared.map((p, i) => ({ id: p.id, operation: p.item.operation, status: statuses[i]! })),
    };
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
    const correlationId = requestId;
    await insertOutboxMessage(trx, {
      topic: Topics.requests,
      key: requestId,
      event: buildEvent(
        'vn.gov.hopthu.request.submitted.v1',
        {
          requestId,
          agencyId: body.agencyId,
          province: agency.province,
          receivedAt: receivedAt.toISOString(),
          dueAt: deadline.dueAt.toISOString(),
          dueConfirmed: deadline.confirmed,
          reference: body.reference,
          itemCount: prepared.length,
        },
        { source: 'hopthu/requests', subject: requestId, correlationId },
      ),
    });
    // one statement per table for the whole request (a 500-item request is a handful of round trips)
    const items: NewItem[] = [];
    const transitions: NewTransition[] = [];
    const credentials: NewCredential[] = [];
    const events: Parameters<typeof insertOutboxMessages>[1] = [];
    for (const p of prepared) {
      const sealed = sealPerson(deps.dataKey, p.item.person);
      items.push({
        id: p.id,
        requestId,
        seq: p.seq,
        operation: p.item.operation,
        mailboxType: p.mailboxType,
        agencyId: p.item.agencyId ?? body.agencyId,
        status: p.approved ? 'approved' : 'pending_approval',
        approvalsNeeded: p.approvalsNeeded,
        person: sealed.person,
        nationalIdEnc: sealed.national_id_enc,
        nationalIdHash: sealed.national_id_hash,
        dateOfBirthEnc: sealed.date_of_birth_enc,
        address: p.item.address?.toLowerCase() ?? null,
        // a rename_unit's `unit`, an alias item's alias: what it changes, stored as the item's changes
        changes: itemChanges(p.item),
        reason: p.item.reason ?? null,
        exceptionReason: p.item.exceptionReason?.normalize('NFC') ?? null,
      });
      transitions.push({
        itemId: p.id,
        from: null,
        to: p.approved ? 'approved' : 'pending_approval',
        actor: `client:${principal.clientId}`,
        reason: p.approved ? 'Tự động phê duyệt theo quy định của tỉnh' : null,
        at: receivedAt,
      });
      if (p.password) {
        credentials.push({
          itemId: p.id,
          passwordEnc: encrypt(deps.dataKey, p.password),
          expiresAt: new Date(receivedAt.getTime() + deps.credentialTtlHours * 3600_000),
          createdAt: receivedAt,
        });
      }
      if (p.approved) {
        const p2 = p.item.person;
        events.push({
          topic: Topics.requests,
          key: requestId,
          event: buildEvent(
            'vn.gov.hopthu.request.item.approved.v1',
            {
              requestId,
              itemId: p.id,
              agencyId: p.item.agencyId ?? body.agencyId,
              province: agency.province,
              operation: p.item.operation as 'create',
              mailboxType: p.mailboxType,
              ...(p2
                ? {
                    person: eventPerson(p2, p2.nationalId ? keyedHash(deps.dataKey, p2.nationalId) : null),
                  }
                : {}),
              ...(p.item.address ? { address: p.item.address.toLowerCase() } : {}),
              ...(p.hash ? { passwordHash: p.hash } : {}),
              ...(p.item.reason ? { reason: p.item.reason } : {}),
              ...(itemChanges(p.item) ? { changes: itemChanges(p.item) as Record<string, unknown> } : {}),
              ...(p.item.exceptionReason ? { exceptionReason: p.item.exceptionReason.normalize('NFC') } : {}),
              approvedBy: 'policy:auto',
              filedBy: principal.clientId,
            },
            { source: 'hopthu/requests', subject: p.id, correlationId },
          ),
        });
      }
    }
    await insertItems(trx, items);
    await insertTransitions(trx, transitions);
    await insertCredentials(trx, credentials);
    await insertOutboxMessages(trx, events);
    await alsoStore?.(trx, requestId);
    return response;
  });
}
