// Seeds the demo province (Bắc Ninh, bacninh.gov.vn) through the directory's admin API and writes
// var/demo/stack.json, var/demo/mailboxes.json (official mailboxes with their demo passwords) and
// var/demo/operators.json (the console's two demo operators and their passwords).
// Safe to run again: each agency is registered under an Idempotency-Key (a rerun answers it) and
// known passwords are kept.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  adminApiFromEnv,
  type ConsoleOperator,
  demoPassword,
  ensureAlias,
  ensureOperator,
  registerAgency,
  registerClient,
} from './lib/admin-api.ts';

const root = path.resolve(import.meta.dirname, '..');
const demoDir = path.join(root, 'var/demo');
const api = adminApiFromEnv();
const { directoryUrl, requestsUrl, consoleUrl } = api;
const province = 'bac-ninh';
const domain = 'bacninh.gov.vn';

interface SeededMailbox {
  agencyId: string;
  mailboxId: string;
  abbreviation: string;
  parentAgencyId?: string;
  address: string;
  password: string | null;
}

async function seedAgency(
  body: Record<string, unknown>,
  known: Map<string, SeededMailbox>,
): Promise<SeededMailbox> {
  const answer = await registerAgency(api, { province, ...body });
  const seeded: SeededMailbox = {
    agencyId: answer.agencyId,
    abbreviation: String(body.abbreviation),
    mailboxId: answer.officialMailboxId,
    address: answer.officialMailbox,
    password: answer.password ?? known.get(answer.officialMailbox)?.password ?? null,
  };
  if (body.parentId) seeded.parentAgencyId = String(body.parentId);
  return seeded;
}

async function main() {
  mkdirSync(demoDir, { recursive: true });
  const mailboxesFile = path.join(demoDir, 'mailboxes.json');
  const known = new Map<string, SeededMailbox>(
    existsSync(mailboxesFile)
      ? (JSON.parse(readFileSync(mailboxesFile, 'utf8')) as SeededMailbox[]).map((m) => [m.address, m])
      : [],
  );
  const stttt = await seedAgency(
    { name: 'Sở Thông tin và Truyền thông', abbreviation: 'stttt', unitType: 'agency' },
    known,
  );
  const snv = await seedAgency({ name: 'Sở Nội vụ', abbreviation: 'snv', unitType: 'agency' }, known);
  const centre = await seedAgency(
    {
      name: 'Trung tâm Công nghệ thông tin và Truyền thông',
      abbreviation: 'ttcntttt',
      unitType: 'subunit',
      parentId: stttt.agencyId,
    },
    known,
  );
  const mailboxes = [stttt, snv, centre];
  // The IT centre runs the system: the operators' address (deadline warnings, notifier's
  // OPERATORS_MAILBOX) and postmaster@ reach its official mailbox.
  for (const role of ['noc', 'postmaster']) {
    await ensureAlias(api, `${role}@${domain}`, centre.mailboxId, 'Trung tâm CNTT-TT vận hành hệ thống');
  }
  writeFileSync(mailboxesFile, `${JSON.stringify(mailboxes, null, 2)}\n`);
  chmodSync(mailboxesFile, 0o600);

  // One API client per agency: a fresh ES256 key pair; the public half is registered, the private
  // half goes to var/demo/clients.json for the demo agency's system.
  const clientsFile = path.join(demoDir, 'clients.json');
  const clients = [];
  for (const m of mailboxes) clients.push(await registerClient(api, m, `demo-${m.abbreviation}`));
  writeFileSync(clientsFile, `${JSON.stringify(clients, null, 2)}\n`);
  chmodSync(clientsFile, 0o600);

  // Two operators who may both approve (an admin and an approver), so an item that needs two
  // different approvals can be released from the console; known passwords are kept so the file
  // stays valid across runs.
  const operatorsFile = path.join(demoDir, 'operators.json');
  const knownOperators = new Map<string, ConsoleOperator>(
    existsSync(operatorsFile)
      ? (JSON.parse(readFileSync(operatorsFile, 'utf8')) as ConsoleOperator[]).map((o) => [o.username, o])
      : [],
  );
  const operators: ConsoleOperator[] = [
    { username: 'canbo.an', displayName: 'Nguyễn Văn An', role: 'admin' as const },
    { username: 'canbo.binh', displayName: 'Trần Thị Bình', role: 'approver' as const },
  ].map((o) => ({ ...o, password: knownOperators.get(o.username)?.password ?? demoPassword() }));
  for (const o of operators) await ensureOperator(api, o);
  writeFileSync(operatorsFile, `${JSON.stringify(operators, null, 2)}\n`);
  chmodSync(operatorsFile, 0o600);

  const stack = {
    domain,
    imap: { host: '127.0.0.1', port: 1143 },
    smtp: { host: '127.0.0.1', port: 2525 },
    // mail clients: IMAP over TLS and submission (STARTTLS + AUTH), trusting the local CA
    imaps: { host: '127.0.0.1', port: Number(process.env.IMAPS_PORT ?? 1993) },
    submission: { host: '127.0.0.1', port: Number(process.env.SUBMISSION_PORT ?? 1587) },
    tls: { caFile: path.join(process.env.TLS_DIR ?? path.resolve(demoDir, '..', 'tls'), 'ca.pem') },
    kafkaBrokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    services: {
      requests: 'http://127.0.0.1:3001',
      directory: 'http://127.0.0.1:3002',
      provisioner: 'http://127.0.0.1:3003',
      notifier: 'http://127.0.0.1:3004',
      console: consoleUrl,
    },
  };
  writeFileSync(path.join(demoDir, 'stack.json'), `${JSON.stringify(stack, null, 2)}\n`);

  console.log(`demo province Bắc Ninh (${domain}) seeded:`);
  for (const m of mailboxes) console.log(`  ${m.abbreviation.padEnd(9)} ${m.address}`);
  console.log('official mailbox passwords: var/demo/mailboxes.json; API clients: var/demo/clients.json');
  console.log(`agency API: ${requestsUrl}/v1 (token: ${requestsUrl}/oauth/token)`);
  console.log(`directory search: ${directoryUrl}/v1/directory/search?agency=stttt`);
  console.log(`operators' console: ${consoleUrl} (operators and passwords: var/demo/operators.json)`);
}

main().catch((err) => {
  console.error(String(err?.stack ?? err));
  process.exit(1);
});
