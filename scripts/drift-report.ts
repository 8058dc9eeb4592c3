// Prints the provisioner's drift report (GET /admin/drift or POST /admin/drift/repair, JSON on
// stdin) for a person: one line per difference, a summary, and exit 1 while differences remain.
interface Difference {
  kind: string;
  address: string;
  reason?: string;
  repairable?: boolean;
  expected: { active: boolean; quotaBytes: number };
  actual: { active: boolean; quotaBytes: number; targets?: string[] };
  mailboxAddress?: string;
  target?: string;
  expiresAt?: string;
  listed?: boolean;
}
interface Report {
  domains: string[];
  directoryMailboxes: number;
  serverMailboxes: number;
  directoryAliases?: number;
  serverAliases?: number;
  differences: Difference[];
}
interface RepairAnswer {
  after?: Report;
  repairs?: { address: string; action: string; notes?: string[] }[];
  failures?: { address: string; error: string }[];
}

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c);
const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RepairAnswer & Report;
const report: Report = body.after ?? body;
/** A forward's targets (its `expected` and `actual` are address lists), or none. */
const targets = (v: unknown) => (Array.isArray(v) ? v.join(', ') : 'none');
const line = (d: Difference) => {
  switch (d.kind) {
    case 'missing':
      return `missing         ${d.address}  (directory: ${d.expected.active ? 'active' : 'inactive'}, quota ${d.expected.quotaBytes})`;
    case 'extra':
      return `extra           ${d.address}  (${d.reason}${d.repairable ? '' : ', not repaired automatically'})`;
    case 'state_mismatch':
      return `state_mismatch  ${d.address}  (directory ${d.expected.active ? 'active' : 'inactive'}, mail server ${d.actual.active ? 'active' : 'inactive'})`;
    case 'alias_missing':
      return `alias_missing   ${d.address} → ${d.mailboxAddress}  (listed by the directory, not in vmail)`;
    case 'alias_target_mismatch':
      return `alias_target    ${d.address}  (directory → ${d.mailboxAddress}, mail server → ${d.actual.targets?.join(', ')})`;
    case 'alias_extra':
      return `alias_extra     ${d.address} → ${d.target}  (${d.reason})`;
    case 'alias_expired':
      return `alias_expired   ${d.address} → ${d.target}  (expired ${d.expiresAt}${d.listed ? ', still listed by the directory' : ''})`;
    case 'forward_mismatch':
      return `forward         ${d.address}  (directory → ${targets(d.expected)}, mail server → ${targets(d.actual)})`;
    case 'forward_extra':
      return `forward_extra   ${d.address} → ${targets(d.actual)}  (${d.reason})`;
    case 'quota_mismatch':
      return `quota_mismatch  ${d.address}  (directory ${d.expected.quotaBytes}, mail server ${d.actual.quotaBytes})`;
    default:
      return `${d.kind} ${d.address}`;
  }
};
if (body.repairs) {
  for (const r of body.repairs)
    console.log(
      `repaired        ${r.address}  ${r.action}${r.notes?.length ? ` (${r.notes.join('; ')})` : ''}`,
    );
  for (const f of body.failures ?? []) console.log(`repair FAILED   ${f.address}  ${f.error}`);
}
for (const d of report.differences) console.log(line(d));
console.log(
  `domains: ${report.domains.join(', ') || '(none)'}; directory ${report.directoryMailboxes}, mail server ${report.serverMailboxes} mailboxes` +
    (report.directoryAliases !== undefined
      ? `, directory ${report.directoryAliases}, mail server ${report.serverAliases} aliases; `
      : '; ') +
    `${report.differences.length} difference(s)${body.repairs ? ` left after ${body.repairs.length} repair(s)` : ''}`,
);
process.exit(report.differences.length === 0 ? 0 : 1);
