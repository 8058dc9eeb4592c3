// POST /admin/reorganisations: a plan in, its dry run out, nothing changed in the directory or on
// the mail server. The snapshot of the provinces involved is read in bulk, the plan computed by the
// pure computeReorganisation, and the result stored (the plan, its summary, the tree changes and
// every mailbox change) so approvals and the apply work on exactly what operators saw. Posting the
// same plan again while it is not applied answers the same reorganisation.
import { createHash } from 'node:crypto';
import { getPolicy, type ProvincePolicy } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import {
  countTakenLocalParts,
  findOpenByDigest,
  findReorganisation,
  insertChanges,
  insertReorganisation,
  listAgenciesForPlan,
  listApprovals,
  listChanges,
  listMailboxesForPlan,
  type ReorganisationRow,
} from '../../db/reorganisation-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { displayName } from '../directory/text.ts';
import { listProvinceDomains } from '../domains/province-domains.ts';
import {
  computeReorganisation,
  type ReorganisationResult,
  type ReorganisationSnapshot,
  type SnapshotPerson,
} from './compute-reorganisation.ts';
import { checkPlan, type ReorganisationPlan } from './reorganisation-plan.ts';

export interface ReorganisationSummary {
  basis: string;
  mailboxesChanged: number;
  agenciesChanged: number;
  conflicts: ReorganisationResult['conflicts'];
  perAgency: ReorganisationResult['perAgency'];
  domainMoves: ReorganisationResult['domainMoves'];
  agencyChanges: number;
  timings: { snapshotMs: number; computeMs: number; storeMs: number };
}

export interface ReorganisationStructure {
  agencies: ReorganisationResult['agencies'];
  domainMoves: ReorganisationResult['domainMoves'];
}

const policyOrNull = (province: string): ProvincePolicy | null => {
  try {
    return getPolicy(province);
  } catch {
    return null;
  }
};

/** Canonical JSON (sorted keys): the same plan gives the same digest whatever its key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Reads what the plan touches: agencies and live mailboxes of its provinces, taken names per target. */
export async function loadSnapshot(deps: Pick<DirectoryDeps, 'db' | 'clock'>, plan: ReorganisationPlan) {
  const provinces = new Set<string>();
  const mergedInto = new Map<string, string>();
  for (const op of plan.operations) {
    if (op.op === 'merge_province') {
      provinces.add(op.from).add(op.into);
      mergedInto.set(op.from, op.into);
    }
    for (const ref of refsOf(op)) provinces.add(ref.split('/')[0] as string);
  }
  const finalOf = (p: string) => {
    let at = p;
    for (let i = 0; i < 10 && mergedInto.has(at); i++) at = mergedInto.get(at) as string;
    return at;
  };
  const agencies = await listAgenciesForPlan(deps.db, [...provinces]);
  const rows = await listMailboxesForPlan(
    deps.db,
    agencies.map((a) => a.id),
  );
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  const people = new Map<string, SnapshotPerson>();
  const mailboxes = rows.map((r) => {
    if (r.personId && r.familyName !== null && r.givenName !== null) {
      people.set(r.personId, {
        familyName: r.familyName,
        middleName: r.middleName ?? '',
        givenName: r.givenName,
      });
    }
    const person = r.personId ? people.get(r.personId) : undefined;
    return {
      id: r.id,
      localPart: r.localPart,
      domain: r.domain,
      type: r.type,
      agencyId: r.agencyId,
      personId: r.personId,
      displayName: person ? displayName(person) : (agencyName.get(r.agencyId) ?? r.localPart),
    };
  });
  const domains = new Map<string, string[]>();
  for (const p of provinces) domains.set(p, (await listProvinceDomains(deps.db, p)).domains);
  const taken = new Map<string, Map<string, number>>();
  const now = deps.clock.now();
  for (const target of new Set([...provinces].map(finalOf))) {
    const all = [...provinces].filter((p) => finalOf(p) === target).flatMap((p) => domains.get(p) ?? []);
    const primary = domains.get(target)?.[0] ?? policyOrNull(target)?.domain ?? '';
    taken.set(target, await countTakenLocalParts(deps.db, all, primary, now));
  }
  const snapshot: ReorganisationSnapshot = {
    agencies,
    mailboxes,
    people,
    taken,
    domains,
    policy: policyOrNull,
  };
  return snapshot;
}

function refsOf(op: ReorganisationPlan['operations'][number]): string[] {
  switch (op.op) {
    case 'merge_province':
      return [];
    case 'merge_agency':
      return [op.agency, op.into];
    case 'dissolve_district':
      return [
        op.district,
        ...(op.districtMailbox.action === 'alias' ? [op.districtMailbox.into] : []),
        ...op.units.flatMap((u) => (u.action === 'merge' ? [u.unit, u.into] : [u.unit])),
      ];
    case 'rename_unit':
      return [op.unit];
  }
}

export async function dryRunReorganisation(
  deps: DirectoryDeps,
  input: { plan: unknown; operator: string },
): Promise<{ created: boolean; view: Awaited<ReturnType<typeof reorganisationView>> }> {
  const checked = checkPlan(input.plan);
  if (checked.problems.length > 0 || !('plan' in checked)) {
    throw new AppError(
      'validation_failed',
      { vi: 'Kế hoạch sắp xếp không hợp lệ', en: 'The reorganisation plan is invalid' },
      { errors: checked.problems.map((p) => ({ field: p.field, message: p.message })) },
    );
  }
  const plan = checked.plan;
  const digest = createHash('sha256').update(canonical(plan)).digest('hex');
  const open = await findOpenByDigest(deps.db, digest);
  if (open) return { created: false, view: await reorganisationView(deps, open.id) };

  const t0 = performance.now();
  const snapshot = await loadSnapshot(deps, plan);
  const t1 = performance.now();
  const result = computeReorganisation(snapshot, plan);
  const t2 = performance.now();
  const id = deps.newId();
  const at = deps.clock.now();
  const summary: ReorganisationSummary = {
    basis: plan.basis,
    mailboxesChanged: result.mailboxesChanged,
    agenciesChanged: result.agenciesChanged,
    conflicts: result.conflicts,
    perAgency: result.perAgency,
    domainMoves: result.domainMoves,
    agencyChanges: result.agencies.length,
    timings: { snapshotMs: Math.round(t1 - t0), computeMs: Math.round(t2 - t1), storeMs: 0 },
  };
  const structure: ReorganisationStructure = { agencies: result.agencies, domainMoves: result.domainMoves };
  await deps.db.transaction().execute(async (trx) => {
    await insertReorganisation(trx, {
      id,
      plan,
      planDigest: digest,
      title: plan.title,
      effectiveFrom: plan.effectiveFrom,
      state: 'computed',
      summary,
      structure,
      conflictCount: result.conflicts.length,
      changeCount: result.changes.length,
      createdAt: at,
      createdBy: input.operator,
    });
    await insertChanges(
      trx,
      result.changes.map((c, seq) => ({
        reorganisationId: id,
        seq,
        mailboxId: c.mailboxId,
        kind: c.kind,
        agencyId: c.agencyId,
        fromAgencyId: c.fromAgencyId,
        fromAddress: c.from,
        toAddress: c.to,
        aliasTargetAgencyId: c.aliasTargetAgencyId,
        displayName: c.displayName,
      })),
    );
    summary.timings.storeMs = Math.round(performance.now() - t2);
    await trx
      .updateTable('reorganisations')
      .set({ summary: JSON.stringify(summary) })
      .where('id', '=', id)
      .execute();
  });
  deps.logger.info(
    {
      reorganisationId: id,
      changes: result.changes.length,
      conflicts: result.conflicts.length,
      ...summary.timings,
    },
    'reorganisation computed',
  );
  return { created: true, view: await reorganisationView(deps, id) };
}

export async function findReorganisationOr404(
  deps: Pick<DirectoryDeps, 'db'>,
  id: string,
): Promise<ReorganisationRow> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await findReorganisation(deps.db, id) : null;
  if (!row)
    throw new AppError('not_found', { vi: 'Không có kế hoạch sắp xếp này', en: 'No such reorganisation' });
  return row;
}

/** What operators see of a reorganisation: the dry run, the approvals, the progress of the apply. */
export async function reorganisationView(deps: Pick<DirectoryDeps, 'db'>, id: string) {
  const row = await findReorganisationOr404(deps, id);
  const summary = row.summary as ReorganisationSummary;
  return {
    id: row.id,
    title: row.title,
    basis: summary.basis,
    effectiveFrom: row.effectiveFrom,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
    mailboxesChanged: summary.mailboxesChanged,
    agenciesChanged: summary.agenciesChanged,
    conflicts: summary.conflicts,
    perAgency: summary.perAgency,
    domainMoves: summary.domainMoves,
    timings: summary.timings,
    approvals: await listApprovals(deps.db, row.id),
    progress: {
      total: row.changeCount,
      applied: row.appliedCount,
      structureDone: row.structureDone,
      startedAt: row.applyStartedAt?.toISOString() ?? null,
      finishedAt: row.appliedAt?.toISOString() ?? null,
    },
    applied: row.state === 'applied',
    cancelled: row.cancelled
      ? { by: row.cancelled.by, at: row.cancelled.at.toISOString(), reason: row.cancelled.reason }
      : null,
    plan: row.plan,
  };
}

export async function reorganisationChanges(
  deps: Pick<DirectoryDeps, 'db'>,
  id: string,
  filter: { q?: string | undefined; limit?: number; offset?: number },
) {
  await findReorganisationOr404(deps, id);
  const rows = await listChanges(deps.db, id, filter);
  return rows.map((c) => ({
    seq: c.seq,
    mailboxId: c.mailboxId,
    kind: c.kind,
    displayName: c.displayName,
    from: c.fromAddress,
    to: c.toAddress,
    agencyId: c.agencyId,
    fromAgencyId: c.fromAgencyId,
    state: c.state,
    note: c.note,
  }));
}

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The changes as CSV (UTF-8 with a byte-order mark, so Excel reads the Vietnamese names). */
export async function reorganisationCsv(deps: Pick<DirectoryDeps, 'db'>, id: string): Promise<string> {
  const changes = await reorganisationChanges(deps, id, {});
  const lines = ['kind,display_name,from,to,agency_id,from_agency_id,state,note'];
  for (const c of changes) {
    lines.push(
      [c.kind, c.displayName, c.from, c.to, c.agencyId, c.fromAgencyId, c.state, c.note ?? '']
        .map(csvField)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
