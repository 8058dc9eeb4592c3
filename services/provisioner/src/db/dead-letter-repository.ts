// Dead letters: messages the provisioner gave up on, kept for the console to list and replay.
import { containsPattern } from '@hopthu/shared/db';
import type { Kysely } from 'kysely';
import type { ProvisionerDb } from './schema.ts';

export interface DeadLetter {
  id: string;
  sourceKey: string;
  eventId: string | null;
  commandId: string | null;
  mailboxId: string | null;
  topic: string;
  partition: number;
  offset: string;
  messageKey: string | null;
  payload: string | null;
  headers: Record<string, string>;
  error: string;
  attempts: number;
  createdAt: Date;
  replayedAt: Date | null;
  replayEventId: string | null;
}

type Row = ProvisionerDb['dead_letters'];

const toDeadLetter = (
  r: {
    [K in keyof Row]: K extends 'headers' ? Record<string, string> : K extends 'created_at' ? Date : Row[K];
  },
): DeadLetter => ({
  id: r.id,
  sourceKey: r.source_key,
  eventId: r.event_id,
  commandId: r.command_id,
  mailboxId: r.mailbox_id,
  topic: r.topic,
  partition: r.partition,
  offset: r.offset,
  messageKey: r.message_key,
  payload: r.payload,
  headers: r.headers,
  error: r.error,
  attempts: r.attempts,
  createdAt: r.created_at,
  replayedAt: r.replayed_at,
  replayEventId: r.replay_event_id,
});

/** Inserts the dead letter; false when this message (source key) is already dead-lettered. */
export async function insertDeadLetter(
  db: Kysely<ProvisionerDb>,
  d: Omit<DeadLetter, 'createdAt' | 'replayedAt' | 'replayEventId'>,
): Promise<boolean> {
  const r = await db
    .insertInto('dead_letters')
    .values({
      id: d.id,
      source_key: d.sourceKey,
      event_id: d.eventId,
      command_id: d.commandId,
      mailbox_id: d.mailboxId,
      topic: d.topic,
      partition: d.partition,
      offset: d.offset,
      message_key: d.messageKey,
      payload: d.payload,
      headers: JSON.stringify(d.headers),
      error: d.error,
      attempts: d.attempts,
      replayed_at: null,
      replay_event_id: null,
    })
    .onConflict((oc) => oc.column('source_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface DeadLetterFilter {
  mailboxId?: string | undefined;
  commandId?: string | undefined;
  replayed?: boolean | undefined;
  /** Part of the address the command was for (searched in the stored command). */
  address?: string | undefined;
}

function deadLetters(db: Kysely<ProvisionerDb>, filter: DeadLetterFilter) {
  let q = db.selectFrom('dead_letters');
  if (filter.mailboxId) q = q.where('mailbox_id', '=', filter.mailboxId);
  if (filter.commandId) q = q.where('command_id', '=', filter.commandId);
  if (filter.replayed === true) q = q.where('replayed_at', 'is not', null);
  if (filter.replayed === false) q = q.where('replayed_at', 'is', null);
  if (filter.address) {
    q = q.where('payload', 'ilike', containsPattern(filter.address));
  }
  return q;
}

export async function listDeadLetters(
  db: Kysely<ProvisionerDb>,
  filter: DeadLetterFilter & { limit: number; offset?: number },
): Promise<DeadLetter[]> {
  const rows = await deadLetters(db, filter)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map(toDeadLetter);
}

export async function countDeadLetters(db: Kysely<ProvisionerDb>, filter: DeadLetterFilter): Promise<number> {
  const row = await deadLetters(db, filter)
    .select((eb) => eb.fn.countAll<string>().as('total'))
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

export async function findDeadLetter(
  db: Kysely<ProvisionerDb>,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<DeadLetter | null> {
  let q = db.selectFrom('dead_letters').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r ? toDeadLetter(r) : null;
}

export async function markDeadLetterReplayed(
  db: Kysely<ProvisionerDb>,
  id: string,
  replay: { eventId: string; at: Date },
): Promise<void> {
  await db
    .updateTable('dead_letters')
    .set({ replayed_at: replay.at, replay_event_id: replay.eventId })
    .where('id', '=', id)
    .execute();
}

/**
 * Closes the open dead letter of this message (topic, partition, offset) as replayed by `eventId`
 * (its parked copy handled again in place); answers its id, or null when none was open.
 */
export async function markDeadLetterOfMessageReplayed(
  db: Kysely<ProvisionerDb>,
  message: { topic: string; partition: number; offset: string },
  replay: { eventId: string; at: Date },
): Promise<string | null> {
  const r = await db
    .updateTable('dead_letters')
    .set({ replayed_at: replay.at, replay_event_id: replay.eventId })
    .where('topic', '=', message.topic)
    .where('partition', '=', message.partition)
    .where('offset', '=', message.offset)
    .where('replayed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r?.id ?? null;
}
