// Issue 16, end to end on the real stack: an agency renames and dissolves one of its units through
// the agency API (Mẫu 02 / Mẫu 03 for the unit itself). A rename waits for one operator, then the
// directory renames the unit and its agency mailbox answers at the new address with its password;
// a dissolution waits for two different operators, then the unit is dissolved and its mailbox is
// gone from the mail server, and the requests service refuses any further request for the unit. A
// unit item without its reason is refused and nothing is stored.
import { randomUUID } from 'node:crypto';
import {
  adminFetch,
  type AgencyClient,
  imapLoginWorks,
  demoAgency,
  readStack,
  serviceUrl,
  uniqueLetters,
  waitFor,
} from '@hopthu/shared/testing';
import bcrypt from 'bcryptjs';
import { beforeAll, describe, expect, it } from 'vitest';

const stack = readStack();
const requests = serviceUrl('requests');
const directory = serviceUrl('directory');

let agency: AgencyClient;
let parentId: string;

beforeAll(() => {
  const stttt = demoAgency('stttt');
  agency = stttt.client;
  parentId = stttt.agencyId;
});

/** A fresh unit below the demo agency whose agency mailbox logs in with a known password. */
async function newUnit() {
  const abbreviation = `dv${uniqueLetters()}`;
  const password = `Dv-${randomUUID().slice(0, 10)}9`;
  const made = await adminFetch(directory, 'POST', '/admin/agencies', {
    province: 'bac-ninh',
    name: `Tổ Kiểm thử ${abbreviation}`,
    abbreviation,
    unitType: 'subunit',
    parentId,
    officialMailboxPasswordHash: `{BLF-CRYPT}${await bcrypt.hash(password, 5)}`,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  const address = String(made.body.officialMailbox);
  await waitFor(() => imapLoginWorks(address, password, stack.imap), {
    timeoutMs: 60_000,
    what: `${address} ready`,
  });
  return { id: String(made.body.agencyId), abbreviation, address, password };
}

/** Files a request for the unit; a 403 while the requests service has not yet heard of the unit is retried. */
async function file(items: Record<string, unknown>[]) {
  const body = {
    requester: { fullName: 'Trần Văn Kiểm' },
    reference: { number: `${uniqueLetters()}/DV`, date: '2026-12-01' },
    items,
  };
  return waitFor(
    async () => {
      const answer = await agency.submit(body);
      return answer.status === 403 ? undefined : answer;
    },
    { timeoutMs: 60_000, what: 'the unit known to the requests service' },
  );
}

const approve = (requestId: string, itemId: string, operator: string) =>
  adminFetch(requests, 'POST', `/admin/requests/${requestId}/items/${itemId}/approve`, { operator });

describe('a unit renamed and dissolved through the agency API', () => {
  it('when a unit item has no reason or nothing to change, then it is refused naming the field', async () => {
    const unit = await newUnit();
    const answer = await file([{ operation: 'rename_unit', agencyId: unit.id, unit: {} }]);
    expect(answer.status).toBe(400);
    const fields = (answer.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['/items/0/reason', '/items/0/unit']));
    const versions = await adminFetch(directory, 'GET', `/admin/agencies/${unit.id}/versions`);
    expect((versions.body.items as unknown[]).length).toBe(1);
  });

  it('when an agency renames its unit and an operator approves, then the unit and its mailbox take the new name', async () => {
    const unit = await newUnit();
    const renamed = `dm${uniqueLetters()}`;
    const filed = await file([
      {
        operation: 'rename_unit',
        agencyId: unit.id,
        unit: { name: `Tổ Đổi tên ${renamed}`, abbreviation: renamed },
        reason: 'Quyết định số 21/QĐ-STTTT',
      },
    ]);
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const item = filed.body.items[0]!;
    expect(item.status).toBe('pending_approval');

    expect((await approve(filed.body.id, item.id, 'op.an')).body.status).toBe('approved');
    const view = await agency.waitFinished(filed.body.id);
    expect(view, JSON.stringify(view)).toMatchObject({ status: 'completed' });

    const after = await adminFetch(directory, 'GET', `/admin/agencies/${unit.id}`);
    expect(after.body).toMatchObject({
      name: `Tổ Đổi tên ${renamed}`,
      abbreviation: renamed,
      dissolvedAt: null,
    });
    const versions = after.body.versions as { name: string; reason: string | null; validTo: string | null }[];
    expect(versions.map((v) => v.name)).toEqual([
      `Tổ Kiểm thử ${unit.abbreviation}`,
      `Tổ Đổi tên ${renamed}`,
    ]);
    expect(versions[1]!.reason).toBe('Quyết định số 21/QĐ-STTTT');
    const moved = String(after.body.officialMailbox);
    expect(moved).not.toBe(unit.address);
    expect(moved).toContain(renamed);
    await waitFor(() => imapLoginWorks(moved, unit.password, stack.imap), {
      timeoutMs: 60_000,
      what: `login under ${moved}`,
    });
  });

  it('when an agency dissolves its unit, then it waits for two different operators, and then the unit is dissolved and its mailbox deleted', async () => {
    const unit = await newUnit();
    const filed = await file([
      { operation: 'dissolve_unit', agencyId: unit.id, reason: 'Quyết định số 22/QĐ-STTTT giải thể' },
    ]);
    expect(filed.status, JSON.stringify(filed.body)).toBe(202);
    const itemId = filed.body.items[0]!.id;

    expect((await approve(filed.body.id, itemId, 'op.an')).body.status).toBe('pending_approval');
    expect((await approve(filed.body.id, itemId, 'op.an')).status).toBe(409);
    expect((await agency.get(filed.body.id)).items[0]!.status).toBe('pending_approval');
    expect(await imapLoginWorks(unit.address, unit.password, stack.imap)).toBe(true);

    expect((await approve(filed.body.id, itemId, 'op.binh')).body.status).toBe('approved');
    const view = await agency.waitFinished(filed.body.id);
    expect(view, JSON.stringify(view)).toMatchObject({ status: 'completed' });

    const after = await adminFetch(directory, 'GET', `/admin/agencies/${unit.id}`);
    expect(after.body.dissolvedAt).toEqual(expect.any(String));
    expect(after.body.officialMailbox).toBeNull();
    await waitFor(async () => !(await imapLoginWorks(unit.address, unit.password, stack.imap)), {
      timeoutMs: 60_000,
      what: `${unit.address} gone from the mail server`,
    });
    // a dissolved unit takes no further change
    const again = await adminFetch(directory, 'PATCH', `/admin/agencies/${unit.id}`, { name: 'Tổ khác' });
    expect(again.status).toBe(409);
    // nor a new mailbox: once the requests service's replica knows, a request for it is refused at
    // submission, naming the unit and its field, and nothing is stored
    await waitFor(
      async () => {
        const known = await adminFetch<{ items: { agency_id: string; dissolved_at: string | null }[] }>(
          requests,
          'GET',
          '/admin/agencies',
        );
        return known.body.items.find((a) => a.agency_id === unit.id)?.dissolved_at ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'the dissolution known to the requests service' },
    );
    const late = await agency.submit({
      requester: { fullName: 'Trần Văn Kiểm' },
      reference: { number: `${uniqueLetters()}/DV`, date: '2026-12-01' },
      items: [{ operation: 'create', mailboxType: 'agency', agencyId: unit.id }],
    });
    expect(late.status, JSON.stringify(late.body)).toBe(409);
    const problem = late.body as unknown as {
      errors: { field: string; message: { vi: string; en: string } }[];
    };
    expect(problem.errors).toEqual([
      {
        field: '/items/0/agencyId',
        message: {
          vi: expect.stringContaining('đã giải thể'),
          en: expect.stringContaining('was dissolved'),
        },
      },
    ]);
    expect(problem.errors[0]!.message.vi).toContain(`Tổ Kiểm thử ${unit.abbreviation}`);
    // acting for the dissolved unit itself is refused the same way
    const asUnit = await agency.submit({
      agencyId: unit.id,
      requester: { fullName: 'Trần Văn Kiểm' },
      reference: { number: `${uniqueLetters()}/DV`, date: '2026-12-01' },
      items: [{ operation: 'dissolve_unit', agencyId: unit.id, reason: 'Giải thể lần nữa' }],
    });
    expect(asUnit.status).toBe(409);
    expect((asUnit.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      '/agencyId',
    ]);
    // and no unit registers under it
    const below = await adminFetch(directory, 'POST', '/admin/agencies', {
      province: 'bac-ninh',
      name: `Tổ con ${uniqueLetters()}`,
      abbreviation: `tc${uniqueLetters()}`,
      unitType: 'subunit',
      parentId: unit.id,
    });
    expect(below.status).toBe(400);
  });
});
