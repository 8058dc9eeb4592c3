// Figures of the directory for the console's dashboard and reports: mailboxes by state in all and
// per agency, and per agency what the yearly reports ask (Bắc Ninh Phụ lục 1; Thanh Hóa 12.6 and
// Khánh Hòa 11.7): staff the directory knows and those with a mailbox, those who used it since a
// day, what the public directory shows, and mailboxes created and deleted in a period.
import { sql } from 'kysely';
import type { Db } from '../domain/deps.ts';

export interface AgencyFigures {
  agencyId: string;
  name: string;
  abbreviation: string;
  province: string;
  parentId: string | null;
  /** Mailboxes of the agency by state (every type). */
  byState: Record<string, number>;
  /** People of the agency the directory knows (anyone a request or an import named). */
  people: number;
  /** People with a personal mailbox that is not deleted. */
  staffWithMailbox: number;
  /** Of them, those whose mailbox is active and was logged into since `activeSince`. */
  regularUsers: number;
  /** Active mailboxes the public directory lists for the agency. */
  publishedEntries: number;
  /** The agency's own (official) mailbox is active. */
  agencyMailboxActive: boolean;
  createdInPeriod: number;
  deletedInPeriod: number;
}

export interface MailboxSummary {
  byState: Record<string, number>;
  byType: Record<string, number>;
  agencies: AgencyFigures[];
}

export async function readMailboxSummary(
  db: Db,
  p: { from: Date; to: Date; activeSince: Date; province?: string | undefined },
): Promise<MailboxSummary> {
  const province = p.province ? sql`AND a.province = ${p.province}` : sql``;
  const { rows } = await sql<{
    id: string;
    name: string;
    abbreviation: string;
    province: string;
    parent_id: string | null;
    by_state: Record<string, number> | null;
    people: string;
    staff_with_mailbox: string;
    regular_users: string;
    published_entries: string;
    agency_mailbox_active: boolean;
    created_in_period: string;
    deleted_in_period: string;
  }>`
    WITH m AS (
      SELECT agency_id,
        count(DISTINCT person_id) FILTER (WHERE type = 'personal' AND state <> 'deleted') AS staff_with_mailbox,
        count(DISTINCT person_id) FILTER (WHERE type = 'personal' AND state = 'active'
          AND last_activity_at >= ${p.activeSince}) AS regular_users,
        count(*) FILTER (WHERE state = 'active') AS published_entries,
        bool_or(type = 'agency' AND state = 'active') AS agency_mailbox_active,
        count(*) FILTER (WHERE created_at >= ${p.from} AND created_at < ${p.to}) AS created_in_period,
        count(*) FILTER (WHERE state = 'deleted' AND updated_at >= ${p.from} AND updated_at < ${p.to})
          AS deleted_in_period
      FROM mailboxes GROUP BY agency_id),
    s AS (
      SELECT agency_id, jsonb_object_agg(state, n) AS by_state
      FROM (SELECT agency_id, state, count(*)::int AS n FROM mailboxes GROUP BY agency_id, state) x
      GROUP BY agency_id),
    pe AS (SELECT agency_id, count(*) AS people FROM people GROUP BY agency_id)
    SELECT a.id, a.name, a.abbreviation, a.province, a.parent_id, s.by_state,
      coalesce(pe.people, 0) AS people,
      coalesce(m.staff_with_mailbox, 0) AS staff_with_mailbox,
      coalesce(m.regular_users, 0) AS regular_users,
      coalesce(m.published_entries, 0) AS published_entries,
      coalesce(m.agency_mailbox_active, false) AS agency_mailbox_active,
      coalesce(m.created_in_period, 0) AS created_in_period,
      coalesce(m.deleted_in_period, 0) AS deleted_in_period
    FROM agencies a
    LEFT JOIN m ON m.agency_id = a.id
    LEFT JOIN s ON s.agency_id = a.id
    LEFT JOIN pe ON pe.agency_id = a.id
    WHERE a.dissolved_at IS NULL ${province}
    ORDER BY a.province, a.name`.execute(db);
  const byState: Record<string, number> = {};
  const agencies = rows.map((r) => {
    const states = r.by_state ?? {};
    for (const [state, n] of Object.entries(states)) byState[state] = (byState[state] ?? 0) + n;
    return {
      agencyId: r.id,
      name: r.name,
      abbreviation: r.abbreviation,
      province: r.province,
      parentId: r.parent_id,
      byState: states,
      people: Number(r.people),
      staffWithMailbox: Number(r.staff_with_mailbox),
      regularUsers: Number(r.regular_users),
      publishedEntries: Number(r.published_entries),
      agencyMailboxActive: r.agency_mailbox_active,
      createdInPeriod: Number(r.created_in_period),
      deletedInPeriod: Number(r.deleted_in_period),
    };
  });
  const types = await db
    .selectFrom('mailboxes as m')
    .innerJoin('agencies as a', 'a.id', 'm.agency_id')
    .where('m.state', '<>', 'deleted')
    .$if(Boolean(p.province), (q) => q.where('a.province', '=', p.province!))
    .select(['m.type', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('m.type')
    .execute();
  const byType = Object.fromEntries(types.map((t) => [t.type, Number(t.n)]));
  return { byState, byType, agencies };
}
