// Drift repair: brings the mail server to the directory's state for every repairable difference.
// A missing mailbox is recreated without a usable password (the hash is nowhere to be had: an
// operator resets it); state and quota are forced; a mailbox the directory deleted is deleted
// (mail into retention). A mailbox unknown to the directory is left alone and reported.
// Aliases: a listed one that is missing or forwards elsewhere is forced to its mailbox (keeping
// vmail's generation, so the directory's next change still applies); an extra or dead one is
// removed. A group on a listed address and an expired alias the directory still lists are reported only.
// Forwards: a missing or different forward row is written again (the guard of the province's
// forwarding rule still applies), one the directory does not have is removed.
import type { Logger } from '@hopthu/shared/logger';
import { checkDrift, type DriftDeps, type DriftReport } from './check-drift.ts';

export interface Repair {
  address: string;
  action:
    | 'recreated'
    | 'state_forced'
    | 'deleted'
    | 'alias_set'
    | 'alias_removed'
    | 'forward_set'
    | 'forward_removed';
  notes: string[];
}

export async function repairDrift(
  deps: DriftDeps & { logger: Logger },
  input: { domain?: string | undefined },
): Promise<{
  before: DriftReport;
  repairs: Repair[];
  failures: { address: string; error: string }[];
  after: DriftReport;
}> {
  const before = await checkDrift(deps, input);
  const repairs: Repair[] = [];
  const failures: { address: string; error: string }[] = [];
  const done = new Set<string>();
  for (const d of before.differences) {
    const key = `${/^(alias|forward)_/.test(d.kind) ? d.kind.split('_')[0] : 'mailbox'}:${d.address}`;
    if (done.has(key)) continue;
    try {
      if (d.kind === 'missing') {
        const r = await deps.adapter.repairMailbox({
          address: d.address,
          domain: d.address.split('@')[1] ?? '',
          generation: d.generation,
          active: d.expected.active,
          quotaBytes: d.expected.quotaBytes,
        });
        repairs.push({ address: d.address, action: 'recreated', notes: r.notes });
      } else if (d.kind === 'state_mismatch' || d.kind === 'quota_mismatch') {
        const related = before.differences.filter((x) => x.address === d.address);
        const state = related.find((x) => x.kind === 'state_mismatch');
        const quota = related.find((x) => x.kind === 'quota_mismatch');
        const have = await deps.adapter.getMailbox(d.address);
        const r = await deps.adapter.repairMailbox({
          address: d.address,
          domain: d.address.split('@')[1] ?? '',
          generation: d.generation,
          active: state?.kind === 'state_mismatch' ? state.expected.active : (have?.active ?? true),
          quotaBytes: quota?.kind === 'quota_mismatch' ? quota.expected.quotaBytes : (have?.quotaBytes ?? 0),
        });
        repairs.push({ address: d.address, action: 'state_forced', notes: r.notes });
      } else if (d.kind === 'alias_missing' || (d.kind === 'alias_target_mismatch' && d.repairable)) {
        const r = await deps.adapter.repairAlias({
          address: d.address,
          generation: 0,
          targets: [d.mailboxAddress],
        });
        repairs.push({ address: d.address, action: 'alias_set', notes: r.notes });
      } else if (d.kind === 'alias_extra' || (d.kind === 'alias_expired' && d.repairable)) {
        // the row goes, so a later set_alias from the directory applies whatever its generation
        const r = await deps.adapter.removeAlias({ address: d.address, generation: d.generation + 1 });
        repairs.push({ address: d.address, action: 'alias_removed', notes: r.notes });
      } else if (d.kind === 'forward_mismatch') {
        // through the adapter's guard: a target its province forbids is still refused (a failure)
        const r = await deps.adapter.repairAlias({ address: d.address, generation: 0, targets: d.expected });
        repairs.push({ address: d.address, action: 'forward_set', notes: r.notes });
      } else if (d.kind === 'forward_extra') {
        const r = await deps.adapter.removeAlias({ address: d.address, generation: d.generation + 1 });
        repairs.push({ address: d.address, action: 'forward_removed', notes: r.notes });
      } else if (d.kind === 'extra' && d.repairable) {
        // deleted is final in the directory: a generation past both sides makes the delete apply
        const stored = (await deps.adapter.getMailbox(d.address))?.generation ?? 0;
        const r = await deps.adapter.deleteMailbox({
          address: d.address,
          generation: Math.max(stored + 1, d.generation),
        });
        repairs.push({ address: d.address, action: 'deleted', notes: r.notes });
      } else {
        continue;
      }
      done.add(key);
    } catch (err) {
      failures.push({ address: d.address, error: (err as Error).message });
    }
  }
  for (const r of repairs)
    deps.logger.info({ address: r.address, action: r.action, notes: r.notes }, 'drift repair');
  for (const f of failures) deps.logger.warn({ address: f.address, error: f.error }, 'drift repair failed');
  deps.logger.info({ repairs: repairs.length, failures: failures.length }, 'drift repaired');
  const after = await checkDrift(deps, input);
  return { before, repairs, failures, after };
}
