// The Bắc Giang → Bắc Ninh merger on the real stack, lean (about fifteen mailboxes): a Bắc Giang
// department merged into a Bắc Ninh one, a district dissolved (its communes go under the province,
// its Phòng Nội vụ merged) and a renamed department, in one plan. Dry run (nothing changes), two
// approvals (the same operator twice refused), apply with the directory killed mid-way and started
// again, then what holders see: their mail kept, their password working at the new address, mail
// to the old address arriving, the merged department's address reaching the receiving one; and the
// same plan again changes nothing. Data is tagged per run; Bắc Giang's policy file is the demo's.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildEvent, Topics } from '@hopthu/shared/events';
import {
  countInInbox,
  createSqlPool,
  imapLoginWorks,
  repoRoot,
  serviceDatabaseUrl,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, createTestBus, ensureDirectory, randomLetters } from './helpers.ts';

const smtp = { host: process.env.SMTP_HOST ?? '127.0.0.1', port: Number(process.env.SMTP_PORT ?? 2525) };
const tag = randomLetters(5);
const password = `Kt${randomUUID().slice(0, 12)}1!`;
let passwordHash = '';

async function send(to: string, subject: string) {
  const transport = nodemailer.createTransport({ ...smtp, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'kiemthu@example.org', to, subject, text: 'thư kiểm thử' });
  } finally {
    transport.close();
  }
}

async function register(
  province: string,
  name: string,
  abbreviation: string,
  unitType: string,
  parentId?: string,
) {
  const res = await admin('POST', '/admin/agencies', {
    province,
    name,
    abbreviation,
    unitType,
    ...(parentId ? { parentId } : {}),
    officialMailboxPasswordHash: passwordHash,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return {
    id: res.body.agencyId as string,
    mailbox: res.body.officialMailbox as string,
    mailboxId: res.body.officialMailboxId as string,
  };
}

const people = [
  { key: 'anh', at: 'x', familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' },
  { key: 'binh', at: 's', familyName: 'Nguyễn', middleName: 'Thị', givenName: 'Bình' },
  { key: 'cuong', at: 'c1', familyName: 'Lê', middleName: 'Văn', givenName: 'Cường' },
  { key: 'dung', at: 'u', familyName: 'Phạm', middleName: 'Thu', givenName: 'Dung' },
  { key: 'ha', at: 'c2', familyName: 'Hoàng', middleName: 'Thu', givenName: 'Hà' },
  { key: 'giang', at: 'r', familyName: 'Vũ', middleName: 'Minh', givenName: 'Giang' },
  { key: 'anh2', at: 'y', familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' },
] as const;

const units: Record<string, { id: string; mailbox: string; mailboxId: string }> = {};
const mailboxes: Record<string, { id: string; address: string }> = {};
let stop: () => Promise<void> = async () => {};
const pool = createSqlPool(serviceDatabaseUrl('directory'));

const plan = () => ({
  title: `Sáp nhập Bắc Giang vào Bắc Ninh (kiểm thử ${tag})`,
  basis: 'Nghị quyết 202/2025/QH15',
  effectiveFrom: '2025-07-01',
  operations: [
    { op: 'merge_province', from: 'bac-giang', into: 'bac-ninh' },
    { op: 'merge_agency', agency: `bac-giang/stt${tag}`, into: `bac-ninh/kh${tag}`, agencyMailbox: 'alias' },
    {
      op: 'dissolve_district',
      district: `bac-giang/yd${tag}`,
      districtMailbox: { action: 'retire' },
      units: [
        { unit: `bac-giang/pnv${tag}`, action: 'merge', into: `bac-ninh/kh${tag}`, agencyMailbox: 'retire' },
      ],
    },
    {
      op: 'rename_unit',
      unit: `bac-giang/gt${tag}`,
      name: `Sở Xây dựng ${tag.toUpperCase()}`,
      abbreviation: `xd${tag}`,
      unitCode: 'H07.30',
    },
  ],
});

beforeAll(async () => {
  stop = await ensureDirectory();
  passwordHash = `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`;
  const T = tag.toUpperCase();
  units.y = await register('bac-ninh', `Sở Khoa học và Công nghệ ${T}`, `kh${tag}`, 'agency');
  units.x = await register('bac-giang', `Sở Thông tin và Truyền thông ${T}`, `stt${tag}`, 'agency');
  units.s = await register('bac-giang', `Sở Công Thương ${T}`, `sct${tag}`, 'agency');
  units.r = await register('bac-giang', `Sở Giao thông vận tải ${T}`, `gt${tag}`, 'agency');
  units.d = await register('bac-giang', `Huyện Yên Dũng ${T}`, `yd${tag}`, 'district');
  units.c1 = await register('bac-giang', `Xã Tân An ${T}`, `ta${tag}`, 'commune', units.d.id);
  units.c2 = await register('bac-giang', `Xã Tiền Phong ${T}`, `tp${tag}`, 'commune', units.d.id);
  units.u = await register('bac-giang', `Phòng Nội vụ ${T}`, `pnv${tag}`, 'subunit', units.d.id);
  const bus = createTestBus();
  const producer = await bus.createProducer();
  try {
    await producer.send(
      people.map((p) => {
        const requestId = randomUUID();
        const unit = units[p.at] as { id: string };
        const event = buildEvent(
          'vn.gov.hopthu.request.item.approved.v1',
          {
            requestId,
            itemId: randomUUID(),
            agencyId: unit.id,
            province: p.at === 'y' ? 'bac-ninh' : 'bac-giang',
            operation: 'create',
            mailboxType: 'personal',
            person: {
              familyName: p.familyName,
              middleName: p.middleName,
              givenName: p.givenName,
              personKey: `${tag}-${p.key}`,
            },
            passwordHash,
            approvedBy: 'test-approver',
          },
          { source: 'urn:hopthu:test', subject: requestId, correlationId: requestId },
        );
        return { topic: Topics.requests, key: requestId, value: JSON.stringify(event) };
      }),
    );
  } finally {
    await producer.disconnect();
  }
  await waitFor(
    async () => {
      const { rows } = await pool.query<{ id: string; address: string; person_key: string; state: string }>(
        `SELECT m.id, m.address, p.person_key, m.state FROM mailboxes m JOIN people p ON p.id = m.person_id
          WHERE p.person_key LIKE $1`,
        [`${tag}-%`],
      );
      if (rows.length < people.length || rows.some((r) => r.state !== 'active')) return false;
      for (const r of rows) mailboxes[r.person_key.slice(tag.length + 1)] = { id: r.id, address: r.address };
      return true;
    },
    { timeoutMs: 60_000, what: 'the personal mailboxes are created on the mail server' },
  );
}, 90_000);

afterAll(async () => {
  await pool.end();
  await stop();
});

const mailboxAddress = async (id: string) =>
  (await admin('GET', `/admin/mailboxes/${id}`)).body.address as string;

describe('a reorganisation plan on the real stack', () => {
  it('when planned, approved by two operators and applied through a crash, then holders keep mail, password and old addresses, by Bắc Ninh’s rule', async () => {
    const anh = mailboxes.anh as { id: string; address: string };
    expect(anh.address).toBe(`anhtv.stt${tag}@bacgiang.gov.vn`); // Bắc Giang's rule before
    const kept = `truoc-sap-nhap ${randomUUID()}`;
    await send(anh.address, kept);
    await waitFor(async () => (await countInInbox(anh.address, password, kept)) === 1, { timeoutMs: 20_000 });

    // dry run: computed, nothing changed
    const dry = await admin('POST', '/admin/reorganisations', plan());
    expect(dry.status).toBe(201);
    expect(dry.body).toMatchObject({ state: 'computed', conflicts: [] });
    const id = dry.body.id as string;
    const changes = (await admin('GET', `/admin/reorganisations/${id}/changes?limit=5000&q=${tag}`)).body
      .items as {
      from: string;
      to: string;
      kind: string;
    }[];
    const to = (from: string) => changes.find((c) => c.from === from)?.to;
    const T = tag;
    expect(to(`anhtv.stt${T}@bacgiang.gov.vn`)).toBe(`tvanh1.kh${T}@bacninh.gov.vn`); // merged agency, namesake there
    expect(to(mailboxes.binh?.address as string)).toBe(`ntbinh.sct${T}@bacninh.gov.vn`);
    expect(to(units.c1?.mailbox as string)).toBe(`tanan${T}@bacninh.gov.vn`); // the district part is gone
    expect(to(mailboxes.cuong?.address as string)).toBe(`lvcuong.tanan${T}@bacninh.gov.vn`);
    expect(to(mailboxes.dung?.address as string)).toBe(`ptdung.kh${T}@bacninh.gov.vn`); // district unit merged
    expect(to(units.r?.mailbox as string)).toBe(`xd${T}@bacninh.gov.vn`); // renamed
    expect(changes.find((c) => c.from === units.x?.mailbox)?.kind).toBe('alias');
    expect(changes.find((c) => c.from === units.d?.mailbox)?.kind).toBe('retire');
    const csv = await fetch(
      `${(await import('./helpers.ts')).baseUrl}/admin/reorganisations/${id}/changes.csv`,
      {
        headers: { authorization: `Bearer ${(await import('@hopthu/shared/testing')).testAdminToken}` },
      },
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toContain(`anhtv.stt${T}@bacgiang.gov.vn,tvanh1.kh${T}@bacninh.gov.vn`);
    expect(await mailboxAddress(anh.id)).toBe(anh.address);

    // approvals: two different operators; the same one twice is refused; no apply before
    expect((await admin('POST', `/admin/reorganisations/${id}/apply`)).status).toBe(409);
    const first = await admin('POST', `/admin/reorganisations/${id}/approvals`, {
      operator: 'canbo.mot',
      reason: 'Đã đối chiếu danh sách',
    });
    expect(first.body).toMatchObject({ state: 'computed', approvals: [{ operator: 'canbo.mot' }] });
    const twice = await admin('POST', `/admin/reorganisations/${id}/approvals`, {
      operator: 'canbo.mot',
      reason: 'lần hai',
    });
    expect(twice.status).toBe(409);
    const second = await admin('POST', `/admin/reorganisations/${id}/approvals`, {
      operator: 'canbo.hai',
      reason: 'Đồng ý',
    });
    expect(second.body).toMatchObject({ state: 'approved' });

    // apply slowly, kill the directory mid-way, start it again: it resumes
    const started = await admin('POST', `/admin/reorganisations/${id}/apply`, { maxPerSecond: 2 });
    expect(started.status).toBe(202);
    await waitFor(
      async () => {
        const v = (await admin('GET', `/admin/reorganisations/${id}`)).body as {
          progress: { applied: number; total: number };
        };
        return v.progress.applied > 0 && v.progress.applied < v.progress.total;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const pid = Number(readFileSync(path.join(repoRoot, 'var', 'run', 'directory.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    execFileSync(path.join(repoRoot, 'hopthu'), ['start', 'directory'], { stdio: 'ignore' });
    await waitFor(async () => (await admin('GET', `/admin/reorganisations/${id}`)).body.state === 'applied', {
      timeoutMs: 40_000,
      intervalMs: 500,
    });

    // what holders see
    const now = `tvanh1.kh${T}@bacninh.gov.vn`;
    expect(await mailboxAddress(anh.id)).toBe(now);
    await waitFor(() => imapLoginWorks(now, password), { timeoutMs: 20_000 });
    expect(await countInInbox(now, password, kept)).toBe(1);
    const after = `sau-sap-nhap ${randomUUID()}`;
    await send(anh.address, after); // the old address: old domain and old local part
    await waitFor(async () => (await countInInbox(now, password, after)) === 1, { timeoutMs: 20_000 });
    const merged = `so-cu ${randomUUID()}`;
    await send(units.x?.mailbox as string, merged); // the merged department's own address
    await waitFor(async () => (await countInInbox(units.y?.mailbox as string, password, merged)) === 1, {
      timeoutMs: 20_000,
    });
    await waitFor(() => imapLoginWorks(`tanan${T}@bacninh.gov.vn`, password), { timeoutMs: 20_000 });
    // one result mail to the receiving agency listing its new addresses (not one per person), and
    // the holder's notice of the new address
    await waitFor(
      async () =>
        (await countInInbox(
          units.y?.mailbox as string,
          password,
          'Thay đổi địa chỉ thư điện tử do sắp xếp tổ chức',
        )) === 1,
      { timeoutMs: 30_000 },
    );
    await waitFor(
      async () =>
        (await countInInbox(now, password, `Địa chỉ thư mới của bạn / your new address: ${now}`)) === 1,
      {
        timeoutMs: 30_000,
      },
    );
    const history = (await admin('GET', `/admin/mailboxes/${anh.id}/history`)).body as
      | { items?: { change: string }[] }
      | { change: string }[];
    expect(JSON.stringify(history)).toContain('address_changed');

    // the same plan again changes nothing
    const again = await admin('POST', '/admin/reorganisations', plan());
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ conflicts: [], mailboxesChanged: 0 });
  }, 180_000);

  it('when the plan is malformed, then 400 names each field and nothing is stored', async () => {
    const bad = await admin('POST', '/admin/reorganisations', {
      title: 'x',
      effectiveFrom: 'hôm nay',
      operations: [{ op: 'merge_everything' }],
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/basis', '/effectiveFrom']));
  });
});
