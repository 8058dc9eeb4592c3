// Issue 3's restart test: a crash anywhere in the flow loses nothing and does nothing twice.
// Requests are submitted, then every service is killed (SIGKILL, no graceful shutdown) while
// they are on their way; after `./hopthu start` each request still completes, each person gets
// exactly one mailbox, and the agency gets exactly one result mail per request.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  countInInbox,
  messageIdsInInbox,
  createAgencyClient,
  imapLoginWorks,
  readDemoClients,
  readStack,
  repoRoot,
  waitFor,
} from '@hopthu/shared/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { localSecret } from '@hopthu/shared/local-env';

const SERVICES = ['requests', 'directory', 'provisioner', 'notifier'];
const VMAIL_URL = localSecret('VMAIL_DATABASE_URL');

function hopthu(...args: string[]): void {
  execFileSync(path.join(repoRoot, 'hopthu'), args, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** SIGKILL, then wait until the process is really gone (or a zombie), as a crash would leave it. */
async function kill9(service: string): Promise<void> {
  const pid = Number(readFileSync(path.join(repoRoot, 'var/run', `${service}.pid`), 'utf8'));
  process.kill(pid, 'SIGKILL');
  await waitFor(
    async () => {
      try {
        // field 3 of /proc/<pid>/stat is the state; the name before it is in parentheses
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
      } catch {
        return true; // gone
      }
    },
    { timeoutMs: 10_000, intervalMs: 20, what: `${service} (pid ${pid}) to die` },
  );
}

/** A given name no other test uses, so the addresses made here are this test's alone. */
function uniqueGivenName(): string {
  const letters = 'bcdghklmnpqrstvx';
  let s = '';
  for (const byte of randomUUID().replaceAll('-', '').slice(0, 8)) s += letters[Number.parseInt(byte, 16)];
  return `Khoa${s}`;
}

const resultMailCount = (mailbox: { address: string; password: string }, reference: string) =>
  countInInbox(mailbox.address, mailbox.password, reference, readStack().imap);

describe('a crash mid-flow (issue 3)', () => {
  const vmail = new pg.Pool({ connectionString: VMAIL_URL, max: 2 });
  afterAll(async () => {
    // leave the stack as the next test expects it, whatever happened above
    for (const s of SERVICES) hopthu('start', s);
    await vmail.end();
  });

  it('when every service is killed while requests are on their way, then each completes exactly once after restart', async () => {
    const stttt = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);
    const official = (
      JSON.parse(readFileSync(path.join(repoRoot, 'var/demo/mailboxes.json'), 'utf8')) as {
        abbreviation: string;
        address: string;
        password: string;
      }[]
    ).find((m) => m.abbreviation === 'stttt')!;

    const count = 6;
    const givenNames = Array.from({ length: count }, uniqueGivenName);
    const submitted: { id: string; reference: string }[] = [];
    for (const [i, givenName] of givenNames.entries()) {
      const reference = `${Math.floor(Math.random() * 90000) + 10000}/KT-${i}`;
      const answer = await stttt.submit({
        requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
        reference: { number: reference, date: '2026-11-20' },
        items: [
          {
            operation: 'create',
            mailboxType: 'personal',
            person: {
              familyName: 'Lê',
              middleName: 'Hữu',
              givenName,
              position: 'Chuyên viên',
              department: 'Phòng KT',
            },
          },
        ],
      });
      expect(answer.status).toBe(202);
      submitted.push({ id: answer.body.id, reference });
    }

    // Kill everything once the flow is under way: some requests done, the rest somewhere inside.
    await waitFor(
      async () => {
        const views = await Promise.all(submitted.map((s) => stttt.get(s.id)));
        return views.some((v) =>
          v.items.some((item) => item.status !== 'approved' && item.status !== 'received'),
        );
      },
      { timeoutMs: 60_000, what: 'the first item to move past approval' },
    );
    for (const s of SERVICES) await kill9(s);
    for (const s of SERVICES) hopthu('start', s);

    const finished = await Promise.all(submitted.map((s) => stttt.waitFinished(s.id, 120_000)));
    const addresses = finished.map((view) => {
      expect(view.status).toBe('completed');
      expect(view.items).toHaveLength(1);
      return view.items[0]!.address!;
    });
    expect(new Set(addresses).size).toBe(count);

    // One mailbox per person on the mail server: a second handling of an item would have made
    // a numbered twin (lhkhoa…1.stttt) or a second row.
    for (const givenName of givenNames) {
      const local = `lh${givenName.toLowerCase()}`;
      const rows = await vmail.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM mailbox WHERE username LIKE $1 || '%'",
        [local],
      );
      expect(rows.rows[0]!.n, `vmail rows for ${local}`).toBe(1);
    }

    // The credential still opens once, and the mailbox it names takes a login.
    const credential = await stttt.openCredential(finished[0]!.items[0]!.credentialUrl!);
    if (!('password' in credential)) throw new Error(`credential refused: ${credential.status}`);
    expect(await imapLoginWorks(credential.address, credential.password)).toBe(true);

    // Exactly one result mail per request in the agency's official mailbox.
    for (const s of submitted) {
      await waitFor(async () => (await resultMailCount(official, s.reference)) >= 1, {
        timeoutMs: 60_000,
        what: `result mail for ${s.reference}`,
      });
    }
    // Exactly once from the recipient's point of view (issue 5): a notifier killed after the mail
    // server took a message but before it recorded that sends it again after its lease, with the
    // same Message-ID, so a mail client shows one message. Every mail of a request is that one.
    for (const s of submitted) {
      const ids = await messageIdsInInbox(official.address, official.password, s.reference, readStack().imap);
      expect(ids.length, s.reference).toBeGreaterThanOrEqual(1);
      expect(new Set(ids).size, `${s.reference}: ${ids.join(', ')}`).toBe(1);
      expect(ids[0]).toMatch(/^<.+@.+>$/);
    }
  }, 300_000); // a killed consumer's partitions move after its session times out; held deliveries after their lease
});
