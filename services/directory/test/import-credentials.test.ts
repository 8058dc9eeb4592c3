// A mailbox imported without a password hash, end to end on the real stack: its agency receives a
// one-time credential the way it does for a new mailbox. The import (directory admin API) creates
// it with a password nobody knows; once the mail server has it, the directory asks the requests
// service, which files a reset_password request for the agency; the agency's own API client finds
// that request, opens its credential once (POST /v1/requests/{id}/credentials) and the holder logs
// in over IMAP with it. A mailbox imported with its hash is left alone.
import {
  createAgencyClient,
  imapLoginWorks,
  readDemoClients,
  repoRoot,
  waitFor,
} from '@hopthu/shared/testing';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, ensureDirectory, randomLetters } from './helpers.ts';

let stop: () => Promise<void> = async () => {};
beforeAll(async () => {
  stop = await ensureDirectory();
}, 120_000);
afterAll(async () => stop());

const HEADER =
  'address,type,agency_abbreviation,family_name,middle_name,given_name,position,department,state,quota_mb,password_hash,aliases';

describe('a mailbox imported without a password', () => {
  it('gets a one-time credential its agency opens through the agency API, and the holder logs in with it', async () => {
    const demo = readDemoClients().find((c) => c.abbreviation === 'stttt');
    if (!demo) throw new Error('demo client stttt missing (var/demo/clients.json)');
    const stttt = createAgencyClient(demo);
    const tag = randomLetters(7);
    const without = `nk${tag}.stttt@bacninh.gov.vn`;
    const kept = `nc${tag}.stttt@bacninh.gov.vn`;
    const hash = execFileSync('doveadm', ['pw', '-s', 'SHA512-CRYPT', '-p', `Cu${tag}!2024`], {
      encoding: 'utf8',
      cwd: repoRoot,
    }).trim();
    const mailboxes = [
      HEADER,
      `${without},personal,stttt,Nguyễn,Văn,Khải${tag},Chuyên viên,,active,,,`,
      `${kept},personal,stttt,Trần,Thị,Cúc${tag},Chuyên viên,,active,,${hash},`,
    ].join('\n');
    const applied = await admin('POST', '/admin/imports', {
      province: 'bac-ninh',
      agencies: 'abbreviation,name,parent_abbreviation,unit_code,unit_type\n',
      mailboxes,
      apply: true,
    });
    expect(applied.status, JSON.stringify(applied.body)).toBe(202);
    expect(applied.body).toMatchObject({ mailboxes: 2, withoutPassword: 1, conflicts: [] });
    const jobId = applied.body.jobId as string;
    await waitFor(async () => (await admin('GET', `/admin/imports/${jobId}`)).body.finished === true, {
      // a busy provisioner may take a while to reach this batch
      timeoutMs: 180_000,
      intervalMs: 1000,
      what: 'the import confirmed by the mail server',
    });

    // the agency finds the request the import filed for it among its own (newest first)
    const request = await waitFor(
      async () => {
        const res = await stttt.api('requests');
        if (res.status !== 200) return undefined;
        const { items } = (await res.json()) as { items: { id: string }[] };
        for (const r of items.slice(0, 10)) {
          const view = await stttt.get(r.id);
          if (view.items.some((i) => i.address === without)) return view;
        }
        return undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000, what: 'the credential request of the import' },
    );
    const done = await stttt.waitFinished(request.id, 90_000);
    expect(done.status).toBe('completed');
    expect(done.items).toHaveLength(1);
    expect(done.items[0]).toMatchObject({ operation: 'reset_password', address: without });

    const opened = await stttt.api(`requests/${request.id}/credentials`, { method: 'POST' });
    expect(opened.status).toBe(200);
    const { credentials } = (await opened.json()) as {
      credentials: { itemId: string; address: string; password: string }[];
    };
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.address).toBe(without);
    const password = credentials[0]?.password as string;
    await waitFor(() => imapLoginWorks(without, password), { timeoutMs: 30_000, what: 'IMAP login' });
    // once only
    const again = await stttt.api(`requests/${request.id}/credentials`, { method: 'POST' });
    const reopened =
      again.status === 200 ? ((await again.json()) as { credentials: unknown[] }).credentials : [];
    expect(reopened).toHaveLength(0);
    // the mailbox imported with its hash keeps its old password
    expect(await imapLoginWorks(kept, `Cu${tag}!2024`)).toBe(true);
  }, 420_000);
});
