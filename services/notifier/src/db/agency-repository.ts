// Agencies replica (from hopthu.directory.v1) and the webhook subscriptions the notifier owns.
import type { Kysely } from 'kysely';
import type { NotifierDb } from './schema.ts';

export interface Agency {
  agencyId: string;
  province: string;
  domain: string;
  name: string;
  abbreviation: string;
  officialMailbox: string | null;
}

export interface WebhookSubscription {
  agencyId: string;
  url: string;
  secret: string;
  createdAt: Date;
  updatedAt: Date;
}

export async function upsertAgency(db: Kysely<NotifierDb>, a: Agency, now: Date): Promise<void> {
  const row = {
    agency_id: a.agencyId,
    province: a.province,
    domain: a.domain,
    name: a.name,
    abbreviation: a.abbreviation,
    official_mailbox: a.officialMailbox,
    updated_at: now,
  };
  await db
    .insertInto('agencies')
    .values(row)
    .onConflict((oc) => oc.column('agency_id').doUpdateSet({ ...row, agency_id: undefined }))
    .execute();
}

export async function findAgency(db: Kysely<NotifierDb>, agencyId: string): Promise<Agency | null> {
  const r = await db.selectFrom('agencies').selectAll().where('agency_id', '=', agencyId).executeTakeFirst();
  if (!r) return null;
  return {
    agencyId: r.agency_id,
    province: r.province,
    domain: r.domain,
    name: r.name,
    abbreviation: r.abbreviation,
    officialMailbox: r.official_mailbox,
  };
}

export async function upsertWebhookSubscription(
  db: Kysely<NotifierDb>,
  s: { agencyId: string; url: string; secret: string },
  now: Date,
): Promise<WebhookSubscription> {
  const r = await db
    .insertInto('webhook_subscriptions')
    .values({ agency_id: s.agencyId, url: s.url, secret: s.secret, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('agency_id').doUpdateSet({ url: s.url, secret: s.secret, updated_at: now }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSubscription(r);
}

export async function findWebhookSubscription(
  db: Kysely<NotifierDb>,
  agencyId: string,
): Promise<WebhookSubscription | null> {
  const r = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  return r ? toSubscription(r) : null;
}

function toSubscription(r: {
  agency_id: string;
  url: string;
  secret: string;
  created_at: Date;
  updated_at: Date;
}): WebhookSubscription {
  return {
    agencyId: r.agency_id,
    url: r.url,
    secret: r.secret,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Agencies with an official mailbox, of these provinces (all when none given), for a notice to all. */
export async function listOfficialMailboxes(
  db: Kysely<NotifierDb>,
  provinces?: readonly string[],
): Promise<{ agencyId: string; name: string; officialMailbox: string }[]> {
  let q = db
    .selectFrom('agencies')
    .select(['agency_id', 'name', 'official_mailbox'])
    .where('official_mailbox', 'is not', null);
  if (provinces && provinces.length > 0) q = q.where('province', 'in', provinces);
  const rows = await q.orderBy('agency_id').execute();
  return rows.map((r) => ({
    agencyId: r.agency_id,
    name: r.name,
    officialMailbox: r.official_mailbox as string,
  }));
}
