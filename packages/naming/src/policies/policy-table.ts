// The values that differ by province, one row per value and one column per province, each with the
// article it comes from: the table of docs/provinces.md ("The values, province by province") is
// this output for the five seeds (`./hopthu policy table`; a unit test fails when the doc is stale),
// and an installation prints its own (seeds and PROVINCE_POLICY_DIR). Pure.
import type { ProvincePolicy } from './policy-types.ts';
import { GB, MB } from './sizes.ts';

/** `(Điều 9)`; a value no article sets says so, with the reason before any parenthesis. */
function cite(article: string): string {
  const none = /^none in the regulation:?\s*([^(]*)/.exec(article);
  if (!none) return `(${article})`;
  const why = none[1]!.trim();
  return why ? `(no article: ${why})` : '(no article)';
}

const size = (bytes: number) => (bytes % GB === 0 ? `${bytes / GB} GB` : `${bytes / MB} MB`);
const NONE = '—';

function password(p: ProvincePolicy['password']): string {
  const classes = [
    p.requireUpper && 'upper case',
    p.requireLower && 'lower case',
    p.requireLetter && 'a letter',
    p.requireDigit && 'a digit',
    p.requireSpecial && (p.specialCharacters ? `one of \`${p.specialCharacters}\`` : 'a special character'),
  ].filter(Boolean);
  return `≥ ${p.minLength} characters${classes.length ? `, ${classes.join(', ')}` : ''} ${cite(p.article)}`;
}

function inactivity(rule: ProvincePolicy['inactivity']): string {
  if (!rule) return NONE;
  const action = rule.action === 'lock' ? 'lock' : rule.reissue ? 'reclaim, kept for a reissue' : 'reclaim';
  const counts = (rule.counts ?? ['login']).join(', ');
  return `${rule.months} months without ${counts} → ${action} ${cite(rule.article)}`;
}

/** Each row: what, then how one province's policy reads. */
const ROWS: readonly [string, (p: ProvincePolicy) => string][] = [
  ['answer within (`sla`)', (p) => `${p.sla.workingDays} working days ${cite(p.sla.article)}`],
  [
    'copy of every result (`resultCopy`)',
    (p) => (p.resultCopy ? `\`${p.resultCopy.address}\` ${cite(p.resultCopy.article)}` : NONE),
  ],
  [
    'attachment limit (`capacities.attachment`)',
    (p) => `${size(p.attachmentLimitBytes)} ${cite(p.capacity.article)}`,
  ],
  [
    'agency / personal mailbox (`capacities`)',
    (p) => `${size(p.agencyQuotaBytes)} / ${size(p.personalQuotaBytes)} ${cite(p.capacity.article)}`,
  ],
  ['password rule (`password`)', (p) => password(p.password)],
  [
    'first-login change (`firstLoginChange`)',
    (p) => {
      const rule = p.firstLoginChange;
      if (!rule || (!rule.onCreate && !rule.onReset)) return NONE;
      const when = [rule.onCreate && 'new mailbox', rule.onReset && 'reset'].filter(Boolean).join(', ');
      return `${when} ${cite(rule.article)}`;
    },
  ],
  [
    'unchanged issued password locked (`defaultPasswordLock`)',
    (p) =>
      p.defaultPasswordLock
        ? `after ${p.defaultPasswordLock.workingDays} working days ${cite(p.defaultPasswordLock.article)}`
        : NONE,
  ],
  ['inactivity (`inactivity`)', (p) => inactivity(p.inactivity)],
  [
    'deleted mail kept (`retention.deletedMailDays`)',
    (p) => `${p.retention.deletedMailDays} days ${cite(p.retention.article)}`,
  ],
  [
    'retired address held (`retention.retiredAddressDays`)',
    (p) => `${p.retention.retiredAddressDays} days ${cite(p.retention.article)}`,
  ],
  [
    'filing a change (`filingDeadline`)',
    (p) =>
      p.filingDeadline
        ? `${p.filingDeadline.days} ${p.filingDeadline.dayKind} days after the decision ${cite(p.filingDeadline.article)}`
        : NONE,
  ],
  [
    'planned downtime (`plannedDowntime`)',
    (p) =>
      p.plannedDowntime
        ? `${p.plannedDowntime.noticeWorkingDays} working days' notice${p.plannedDowntime.weekendOnly ? ', weekend only' : ''} ${cite(p.plannedDowntime.article)}`
        : NONE,
  ],
  [
    'forwarding (`forwarding`)',
    (p) => (p.forwarding ? `within the province's domains only ${cite(p.forwarding.article)}` : NONE),
  ],
  [
    'new head of an agency (`agencyHandover`)',
    (p) =>
      p.agencyHandover ? `password reset, credential to the filer ${cite(p.agencyHandover.article)}` : NONE,
  ],
];

/** The Markdown table: a column per province (in the order given), a row per value. */
export function perProvinceTable(policies: readonly ProvincePolicy[]): string {
  const escapePipes = (cell: string) => cell.replaceAll('|', '\\|');
  const lines = [
    `| value | ${policies.map((p) => p.name).join(' | ')} |`,
    `| --- | ${policies.map(() => '---').join(' | ')} |`,
    ...ROWS.map(([what, read]) => `| ${what} | ${policies.map((p) => escapePipes(read(p))).join(' | ')} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A Markdown table's rows as trimmed cells, so a table and its formatted copy compare equal. */
export function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map((line) =>
      line
        .trim()
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-+$/, '---')),
    );
}
