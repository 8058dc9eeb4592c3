// Registering an agency whose abbreviation is taken, on the real directory: refused with 409
// naming the holder and proposing a free abbreviation by the province's rule; only the same unit
// code or the same Idempotency-Key answers the existing agency, and nothing new is created.
import { testAdminToken } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, baseUrl, ensureDirectory, randomLetters } from './helpers.ts';

let stop: () => Promise<void> = async () => {};
beforeAll(async () => {
  stop = await ensureDirectory();
});
afterAll(async () => stop());

/** A registration's answer or problem, as the test reads it. */
interface Answer {
  created: boolean;
  agencyId: string;
  officialMailbox: string;
  holder: { agencyId: string; name: string; abbreviation: string };
  proposedAbbreviations: string[];
  errors: { field: string }[];
  message: { vi: string; en: string };
}

async function register(body: Record<string, unknown>, key?: string) {
  const res = await fetch(`${baseUrl}/admin/agencies`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${testAdminToken}`,
      'content-type': 'application/json',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as Answer };
}

async function agencyCount(province: string): Promise<number> {
  const list = await admin('GET', `/admin/agencies?province=${province}`);
  return (list.body.items as unknown[]).length;
}

describe('a taken abbreviation', () => {
  it('Kiên Giang: Sở Ngoại vụ asking for snv, held by Sở Nội vụ, is refused with 409 naming it and proposing sngv', async () => {
    const first = await register({
      province: 'kien-giang',
      name: 'Sở Nội vụ',
      abbreviation: 'snv',
      unitType: 'agency',
      unitCode: 'kg-test-snv',
    });
    // 201 on a fresh stack, 200 when an earlier run registered it with the same unit code
    expect([200, 201], JSON.stringify(first.body)).toContain(first.status);
    const before = await agencyCount('kien-giang');

    const clash = await register({
      province: 'kien-giang',
      name: 'Sở Ngoại vụ',
      abbreviation: 'snv',
      unitType: 'agency',
    });
    expect(clash.status).toBe(409);
    expect(clash.type).toContain('application/problem+json');
    expect(clash.body.holder).toEqual({
      agencyId: first.body.agencyId,
      name: 'Sở Nội vụ',
      abbreviation: 'snv',
    });
    expect(clash.body.proposedAbbreviations[0]).toBe('sngv');
    expect(clash.body.errors[0]?.field).toBe('/abbreviation');
    expect(clash.body.message.vi).toContain('Sở Nội vụ');
    expect(clash.body.message.vi).toContain('sngv');
    expect(clash.body.message.en).toContain('Điều 4 khoản 1');
    expect(await agencyCount('kien-giang')).toBe(before);

    // the proposal is free: taking it registers Sở Ngoại vụ with its own mailbox (fresh name per run)
    const free = `sngv${randomLetters(4)}`;
    const taken = await register({
      province: 'kien-giang',
      name: 'Sở Ngoại vụ',
      abbreviation: free,
      unitType: 'agency',
    });
    expect(taken.status).toBe(201);
    expect(taken.body.officialMailbox).toBe(`${free}@kiengiang.gov.vn`);
  });

  it('another name with the abbreviation of an agency is refused, even from a different unit code', async () => {
    const abbreviation = `t${randomLetters(9)}`;
    const holder = await register({
      province: 'bac-ninh',
      name: `Sở Kiểm thử ${abbreviation}`,
      abbreviation,
      unitType: 'agency',
      unitCode: `u-${abbreviation}`,
    });
    expect(holder.status).toBe(201);
    const other = await register({
      province: 'bac-ninh',
      name: 'Sở Khác',
      abbreviation,
      unitType: 'agency',
      unitCode: `v-${abbreviation}`,
    });
    expect(other.status).toBe(409);
    expect(other.body.holder.agencyId).toBe(holder.body.agencyId);
    expect(other.body.proposedAbbreviations).toContain(`${abbreviation}1`);
  });

  it('the same unit code again answers the existing agency with 200', async () => {
    const abbreviation = `t${randomLetters(9)}`;
    const body = {
      province: 'bac-ninh',
      name: `Sở Kiểm thử ${abbreviation}`,
      abbreviation,
      unitType: 'agency',
      unitCode: `u-${abbreviation}`,
    };
    const first = await register(body);
    const again = await register(body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      created: false,
      agencyId: first.body.agencyId,
      officialMailbox: first.body.officialMailbox,
    });
  });

  it('the same Idempotency-Key again answers the existing agency; another key is refused', async () => {
    const abbreviation = `t${randomLetters(9)}`;
    const body = {
      province: 'bac-ninh',
      name: `Sở Kiểm thử ${abbreviation}`,
      abbreviation,
      unitType: 'agency',
    };
    const first = await register(body, `reg-${abbreviation}`);
    expect(first.status).toBe(201);
    const again = await register(body, `reg-${abbreviation}`);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, agencyId: first.body.agencyId });
    expect((await register(body, `other-${abbreviation}`)).status).toBe(409);
    expect((await register(body)).status).toBe(409);
  });
});
