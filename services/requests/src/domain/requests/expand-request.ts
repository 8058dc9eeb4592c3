// Writing a request's items: their rows, first transitions, one-time credentials and the
// item.approved events of those approved on receipt. A small request's are written in the
// transaction that stores it (submit-request.ts). A bulk one (50 items or more) is answered as
// soon as the request is stored with a sealed copy of what writing its items needs (the pending
// copy, table request_expansions); the items are written just after, in one transaction that takes
// the pending copy's row lock, writes them and deletes the copy: whoever comes second (another
// instance, a reader, the sweep) finds nothing left to do. Nothing accepted is lost: a crash
// between the answer and the writing leaves the copy, and the sweep writes it on restart.
import { type MailboxType, Topics } from '@hopthu/shared/events';
import { buildEvent } from '@hopthu/shared/events';
import { insertOutboxMessages } from '@hopthu/shared/outbox';
import type { Kysely, Transaction } from 'kysely';
import { insertCredentials, type NewCredential } from '../../db/credential-repository.ts';
import {
  insertItems,
  insertTransitions,
  type NewItem,
  type NewTransition,
} from '../../db/item-repository.ts';
import { deletePendingExpansion, lockPendingExpansion, lockRequestRow } from '../../db/request-repository.ts';
import type { Database } from '../../db/schema.ts';
import { eventPerson } from '../approval/item-approved-event.ts';
import { type DataKeys, decrypt, encrypt, generatePassword, hashGeneratedPassword } from '../secrets.ts';
import { isHandover, issuesPassword } from '../self-service/issued-passwords.ts';
import { sealPerson } from '../validation/personal-data.ts';
import { itemChanges, type SubmitBody } from './submission.ts';

/** What writing a request's items needs, decided at submit time (ids, statuses, plan). */
export interface PendingItems {
  requestId: string;
  /** The principal's client id: the transitions' actor and the events' filedBy. */
  clientId: string;
  /** The request's agency (an item's own agencyId wins). */
  agencyId: string;
  province: string;
  /** ISO time the request was received: the transitions' time, the credentials' start. */
  receivedAt: string;
  items: {
    id: string;
    status: 'approved' | 'pending_approval';
    mailboxType: MailboxType;
    approvalsNeeded: number;
    /** The item as submitted (NFC). */
    item: SubmitBody['items'][number];
  }[];
}

export interface ItemRows {
  items: NewItem[];
  transitions: NewTransition[];
  credentials: NewCredential[];
  events: Parameters<typeof insertOutboxMessages>[1];
}

export interface ExpandDeps {
  db: Kysely<Database>;
  dataKey: DataKeys;
  credentialTtlHours: number;
}

/**
 * Every row and event of the items, built before a transaction writes them (a 500-item request is
 * ~25 ms of CPU). `yieldEvery`: give the event loop back every so many items (the background
 * writer, so that the answers to other requests are not held behind it).
 */
export async function buildItemRows(
  deps: Pick<ExpandDeps, 'dataKey' | 'credentialTtlHours'>,
  p: PendingItems,
  options: { yieldEvery?: number } = {},
): Promise<ItemRows> {
  const { requestId, province } = p;
  const receivedAt = new Date(p.receivedAt);
  const actor = `client:${p.clientId}`;
  const correlationId = requestId;
  const rows: ItemRows = { items: [], transitions: [], credentials: [], events: [] };
  const expiresAt = new Date(receivedAt.getTime() + deps.credentialTtlHours * 3600_000);
  for (let seq = 0; seq < p.items.length; seq++) {
    if (options.yieldEvery && seq > 0 && seq % options.yieldEvery === 0)
      await new Promise((resolve) => setImmediate(resolve));
    const { id, status, mailboxType, approvalsNeeded, item } = p.items[seq]!;
    const approved = status === 'approved';
    const password =
      approved && issuesPassword(item.operation, province, isHandover(item, mailboxType))
        ? generatePassword()
        : null;
    const address = item.address?.toLowerCase();
    const changes = itemChanges(item);
    const exceptionReason = item.exceptionReason?.normalize('NFC');
    const sealed = sealPerson(deps.dataKey, item.person);
    rows.items.push({
      id,
      requestId,
      seq,
      operation: item.operation,
      mailboxType,
      agencyId: item.agencyId ?? p.agencyId,
      status,
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
    rows.transitions.push({
      itemId: id,
      from: null,
      to: status,
      actor,
      reason: approved ? 'Tự động phê duyệt theo quy định của tỉnh' : null,
      at: receivedAt,
    });
    if (password) {
      rows.credentials.push({
        itemId: id,
        passwordEnc: encrypt(deps.dataKey, password),
        expiresAt,
        createdAt: receivedAt,
      });
    }
    if (approved) {
      const person = item.person;
      rows.events.push({
        topic: Topics.requests,
        key: requestId,
        event: buildEvent(
          'vn.gov.hopthu.request.item.approved.v1',
          {
            requestId,
            itemId: id,
            agencyId: item.agencyId ?? p.agencyId,
            province,
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
            filedBy: p.clientId,
          },
          { source: 'hopthu/requests', subject: id, correlationId },
        ),
      });
    }
  }
  return rows;
}

/** The rows and events in the transaction: one statement per table, whatever the item count. */
export async function writeItemRows(trx: Transaction<Database>, rows: ItemRows): Promise<void> {
  await insertItems(trx, rows.items);
  await insertTransitions(trx, rows.transitions);
  await insertCredentials(trx, rows.credentials);
  await insertOutboxMessages(trx, rows.events);
}

/**
 * The pending copy as stored: AES-256-GCM under the current data key (it holds national IDs).
 * The items travel as the body's canonical JSON, already made for its hash (`canonicalBody`:
 * the same body, keys sorted), instead of being written out a second time.
 */
export function sealPendingItems(dataKey: DataKeys, p: PendingItems, canonicalBody: string): string {
  const head = { ...p, items: p.items.map(({ item: _, ...planned }) => planned) };
  return encrypt(dataKey, `{"head":${JSON.stringify(head)},"body":${canonicalBody}}`);
}

export function openPendingItems(dataKey: DataKeys, sealed: string): PendingItems {
  const { head, body } = JSON.parse(decrypt(dataKey, sealed)) as {
    head: Omit<PendingItems, 'items'> & { items: Omit<PendingItems['items'][number], 'item'>[] };
    body: SubmitBody;
  };
  return { ...head, items: head.items.map((planned, seq) => ({ ...planned, item: body.items[seq]! })) };
}

/**
 * Writes the items of a request stored without them, if still to do; true when this call wrote
 * them. `wait`: a reader, which must see the items, waits for another writer of the same request
 * to end (and then finds nothing left); the background writer (`wait: false`) leaves a request
 * another transaction is writing to that one.
 */
export async function expandRequest(
  deps: ExpandDeps,
  requestId: string,
  options: { wait: boolean; yieldEvery?: number },
): Promise<boolean> {
  return deps.db.transaction().execute(async (trx) => {
    const sealed = await lockPendingExpansion(trx, requestId, { skipLocked: !options.wait });
    if (sealed === undefined) return false;
    await lockRequestRow(trx, requestId);
    const pending = openPendingItems(deps.dataKey, sealed);
    const rows = await buildItemRows(
      deps,
      pending,
      options.yieldEvery ? { yieldEvery: options.yieldEvery } : {},
    );
    await writeItemRows(trx, rows);
    await deletePendingExpansion(trx, requestId);
    return true;
  });
}
