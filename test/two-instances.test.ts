// Issue 15's scale-out test: two instances of every pipeline service share the consumer groups
// and databases; one instance of each is killed (SIGKILL) in the middle of a burst. Every accepted
// item must still end exactly once, the mail server must hold exactly the directory's mailboxes,
// no address twice, and each request's result mail must go once.
//
// The second instances are started here with the running ones' own environment (as ./hopthu up
// --instances 2 starts them: port + 100, same databases and groups), so the shared stack's first
// instances are never touched.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { localSecret } from '@hopthu/shared/local-env';
import {
  createAgencyClient,
  messageIdsInInbox,
  readDemoClients,
  readStack,
  repoRoot,
  serviceDatabaseUrl,
  waitFor,
} from '@hopthu/shared/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const PIPELINE = { requests: 3001, directory: 3002, provisioner: 3003, notifier: 3004 } as const;
type Service = keyof typeof PIPELINE;
const PERSONS_PER_REQUEST = 150;
const TERMINAL = ['completed', 'failed', 'rejected'];

/** The environment ./hopthu gave the running instance (secrets, URLs, ports of the infrastructure). */
function environmentOf(service: Service): Record<string, string> {
  const pid = readFileSync(path.join(repoRoot, 'var/run', `${service}.pid`), 'utf8').trim();
  const env: Record<string, string> = {};
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const i = entry.indexOf('=');
    if (i > 0) env[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return env;
}

async function startSecondInstance(service: Service): Promise<ChildProcess> {
  const port = PIPELINE[service] + 100;
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=4', '--max-old-space-size=160', `services/${service}/src/main.ts`],
    {
      cwd: repoRoot,
      env: { ...environmentOf(service), PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${service}-2 exited with ${child.exitCode}`);
      return (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok ?? false;
    },
    { timeoutMs: 90_000, what: `${service}-2 on :${port}` },
  );
  return child;
}

/** A given name no other test uses: the addresses made from it are this test's alone. */
function uniqueGivenName(): string {
  const letters = 'bcdghklmnpqrstvx';
  let s = '';
  for (const c of randomUUID().replaceAll('-', '').slice(0, 10)) s += letters[Number.parseInt(c, 16)];
  return `Tuan${s}`;
}

describe('two instances of every service (issue 15)', () => {
  const seconds: ChildProcess[] = [];
  const vmail = new pg.Pool({ connectionString: localSecret('VMAIL_DATABASE_URL'), max: 2 });
  const requestsDb = new pg.Pool({ connectionString: serviceDatabaseUrl('requests'), max: 2 });
  const directoryDb = new pg.Pool({ connectionString: serviceDatabaseUrl('directory'), max: 2 });
  const notifierDb = new pg.Pool({ connectionString: serviceDatabaseUrl('notifier'), max: 2 });
  afterAll(async () => {
    for (const child of seconds)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all([vmail.end(), requestsDb.end(), directoryDb.end(), notifierDb.end()]);
  });

  it('when one instance of each is killed mid-burst, then every item ends once, vmail holds exactly the directory’s mailboxes, and each result mail goes once', async () => {
    for (const service of Object.keys(PIPELINE) as Service[])
      seconds.push(await startSecondInstance(service));

    const demo = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const official = (
      JSON.parse(readFileSync(path.join(repoRoot, 'var/demo/mailboxes.json'), 'utf8')) as {
        abbreviation: string;
        address: string;
        password: string;
      }[]
    ).find((m) => m.abbreviation === 'stttt')!;
    // one request through each requests instance
    const clients = [
      createAgencyClient(demo),
      createAgencyClient({ ...demo, apiUrl: demo.apiUrl.replace(':3001', ':3101') }),
    ];
    const givenNames = Array.from({ length: 2 * PERSONS_PER_REQUEST }, uniqueGivenName);
    const submitted = await Promise.all(
      clients.map(async (client, r) => {
        const reference = `${Math.floor(Math.random() * 90000) + 10000}/HAI-${r}`;
        const answer = await client.submit({
          requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
          reference: { number: reference, date: '2026-11-20' },
          items: givenNames
            .slice(r * PERSONS_PER_REQUEST, (r + 1) * PERSONS_PER_REQUEST)
            .map((givenName) => ({
              operation: 'create',
              mailboxType: 'personal',
              person: { familyName: 'Đỗ', middleName: 'Minh', givenName, position: 'Chuyên viên' },
            })),
        });
        expect(answer.status).toBe(202);
        return { id: answer.body.id, reference };
      }),
    );

    // mid-burst: some items have ended, most have not
    await waitFor(
      async () => {
        const { rows } = await requestsDb.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM request_items WHERE request_id = ANY($1) AND status = ANY($2)`,
          [submitted.map((s) => s.id), TERMINAL],
        );
        return rows[0]!.n >= 1;
      },
      { timeoutMs: 120_000, intervalMs: 100, what: 'the first item of the burst to end' },
    );
    for (const child of seconds) child.kill('SIGKILL');

    const finished = await Promise.all(submitted.map((s) => clients[0]!.waitFinished(s.id, 240_000)));
    for (const view of finished) {
      expect(view.status).toBe('completed');
      expect(view.items).toHaveLength(PERSONS_PER_REQUEST);
    }
    const addresses = finished.flatMap((v) => v.items.map((i) => i.address!.toLowerCase()));

    // every accepted item reached exactly one terminal state, once
    const ended = await requestsDb.query<{ id: string; status: string; terminal: number }>(
      `SELECT i.id, i.status,
              (SELECT count(*)::int FROM item_transitions t WHERE t.item_id = i.id AND t.to_status = ANY($2)) AS terminal
         FROM request_items i WHERE i.request_id = ANY($1)`,
      [submitted.map((s) => s.id), TERMINAL],
    );
    expect(ended.rows).toHaveLength(2 * PERSONS_PER_REQUEST);
    expect(ended.rows.filter((r) => r.status !== 'completed' || r.terminal !== 1)).toEqual([]);

    // no address held twice, and the mail server holds exactly the directory's mailboxes
    expect(new Set(addresses).size).toBe(addresses.length);
    const directory = await directoryDb.query<{ address: string }>(
      `SELECT address FROM mailboxes WHERE address = ANY($1) AND state <> 'deleted'`,
      [addresses],
    );
    expect(directory.rows.map((r) => r.address).sort()).toEqual([...addresses].sort());
    const patterns = givenNames.map((g) => `dm${g.toLowerCase()}%`);
    const held = await vmail.query<{ username: string }>(
      'SELECT username FROM mailbox WHERE username LIKE ANY($1)',
      [patterns],
    );
    expect(held.rows.map((r) => r.username).sort()).toEqual([...addresses].sort());

    // each request's result mail goes once: one message in the agency's mailbox, one delivery row
    for (const s of submitted) {
      await waitFor(
        async () =>
          (await messageIdsInInbox(official.address, official.password, s.reference, readStack().imap))
            .length >= 1,
        { timeoutMs: 90_000, what: `result mail for ${s.reference}` },
      );
      const ids = await messageIdsInInbox(official.address, official.password, s.reference, readStack().imap);
      expect(new Set(ids).size, `${s.reference}: ${ids.join(', ')}`).toBe(1);
      const { rows } = await notifierDb.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE request_id = $1 AND kind = 'mail' AND purpose = 'result_agency'`,
        [s.id],
      );
      expect(rows[0]!.n, `result deliveries of ${s.reference}`).toBe(1);
    }
  }, 420_000);
});
