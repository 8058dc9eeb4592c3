// The reports as XLSX from the running console: an agency with known staff and mailboxes is seeded
// in the directory and a month of its requests (March 2022) in the requests service; an auditor
// downloads Phụ lục 1, the usage statistics and the SLA report over HTTP both as CSV and as XLSX,
// the XLSX is read with exceljs, and every agency's row holds the CSV's figures (counts as
// numbers, shares as percentages) and, for the seeded agency, the figures the seed implies.
import { randomUUID } from 'node:crypto';
import { createDb } from '@hopthu/shared/db';
import { serviceDatabaseUrl } from '@hopthu/shared/testing';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE, createFormClient, createTestOperator, deadlineOf } from './console-helpers.ts';

const requestsDb = createDb<Record<string, never>>(serviceDatabaseUrl('requests'), { max: 1 });
const directoryDb = createDb<Record<string, never>>(serviceDatabaseUrl('directory'), { max: 1 });
const tag = Math.random().toString(36).slice(2, 8);
const agencyId = randomUUID();
const abbreviation = `ktxlsx${tag}`;
const requestIds: string[] = [];
const client = createFormClient();

beforeAll(async () => {
  const domain = 'baocao-xlsx.invalid';
  const name = `Sở Kiểm thử XLSX ${tag}`;
  await sql`INSERT INTO agencies (id, province, domain, name, folded_name, abbreviation, unit_type)
    VALUES (${agencyId}, 'bac-ninh', ${domain}, ${name}, ${name.toLowerCase()}, ${abbreviation}, 'department')`.execute(
    directoryDb,
  );
  // 3 people: two with an active mailbox (one used 5 days ago, one 90 days ago), one without
  const states: [string, number | null][] = [
    ['active', 5],
    ['active', 90],
    ['none', null],
  ];
  for (const [i, [state, daysAgo]] of states.entries()) {
    const personId = randomUUID();
    await sql`INSERT INTO people (id, province, family_name, middle_name, given_name, folded_name, agency_id)
      VALUES (${personId}, 'bac-ninh', 'Trần', 'Thị', 'Xuân', 'tran thi xuan', ${agencyId})`.execute(
      directoryDb,
    );
    if (state === 'none') continue;
    const local = `${abbreviation}.p${i}`;
    const last = daysAgo === null ? null : new Date(Date.now() - daysAgo * 86_400_000);
    await sql`INSERT INTO mailboxes (id, address, local_part, domain, province, type, state, agency_id, person_id,
        quota_bytes, generation, last_activity_at)
      VALUES (${randomUUID()}, ${`${local}@${domain}`}, ${local}, ${domain}, 'bac-ninh', 'personal', ${state},
        ${agencyId}, ${personId}, 1073741824, 1, ${last})`.execute(directoryDb);
  }
  // March 2022, Bắc Ninh's 2 working days: one answered the next day, one after 4 working days
  for (const [received, finished] of [
    ['2022-03-01T09:00:00+07:00', '2022-03-02T10:00:00+07:00'],
    ['2022-03-07T09:00:00+07:00', '2022-03-11T10:00:00+07:00'],
  ] as const) {
    const id = randomUUID();
    requestIds.push(id);
    await sql`INSERT INTO requests (id, client_id, client_agency_id, agency_id, province, status, received_at,
        due_at, due_confirmed, reference, requester, idempotency_key, body_hash, response, finished_at)
      VALUES (${id}, 'kt-xlsx', ${agencyId}, ${agencyId}, 'bac-ninh', 'completed', ${received}, ${deadlineOf(received)}, true,
        ${JSON.stringify({ number: `KTX-${id.slice(0, 6)}`, date: received.slice(0, 10) })},
        ${JSON.stringify({ fullName: 'Kiểm thử' })}, ${id}, 'kt', '{}', ${finished})`.execute(requestsDb);
  }
  const op = await createTestOperator('auditor', 'Kiểm thử XLSX');
  const login = await client.logIn(op);
  expect(login.status).toBe(303);
});

afterAll(async () => {
  if (requestIds.length > 0)
    await sql`DELETE FROM requests WHERE id IN (${sql.join(requestIds)})`.execute(requestsDb);
  await sql`DELETE FROM mailboxes WHERE agency_id = ${agencyId}`.execute(directoryDb);
  await sql`DELETE FROM people WHERE agency_id = ${agencyId}`.execute(directoryDb);
  await sql`DELETE FROM agencies WHERE id = ${agencyId}`.execute(directoryDb);
  await requestsDb.destroy();
  await directoryDb.destroy();
});

/** A download over HTTP with the operator's session cookie. */
async function download(path: string) {
  const res = await fetch(`${CONSOLE}${path}`, {
    headers: { cookie: [...client.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    disposition: res.headers.get('content-disposition') ?? '',
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

/** RFC 4180 rows of the CSV (quoted cells may hold commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

/** A worksheet's rows as JS values, and which cells are formatted as percentages. */
async function readXlsx(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  const sheet = workbook.worksheets[0]!;
  const rows: { values: unknown[]; percent: boolean[] }[] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = [];
    const percent: boolean[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) {
      const cell = row.getCell(i);
      values.push(cell.value);
      percent.push(typeof cell.numFmt === 'string' && cell.numFmt.includes('%'));
    }
    rows.push({ values, percent });
  });
  return { name: sheet.name, title: String(sheet.getCell('A1').value), rows };
}

/** A share as the CSV writes it ("33,3 %", "—") in percent with one decimal, or null. */
const csvShare = (text: string) => (text === '—' ? null : Number(text.replace(' %', '').replace(',', '.')));

/** Both files of a report, and the XLSX's agency rows checked cell by cell against the CSV's. */
async function bothFiles(path: string, query: string) {
  const csv = await download(`${path}.csv?${query}`);
  const xlsx = await download(`${path}.xlsx?${query}`);
  expect(csv.status).toBe(200);
  expect(xlsx.status).toBe(200);
  expect(xlsx.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  expect(xlsx.disposition).toMatch(/^attachment; filename=".+\.xlsx"$/);
  expect(xlsx.disposition.replace('.xlsx', '')).toBe(csv.disposition.replace('.csv', ''));
  const [header, ...lines] = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  const book = await readXlsx(xlsx.bytes);
  // the title, an empty row, the header, then one row an agency as in the CSV
  expect(book.rows[2]?.values).toEqual(header);
  const agencyRows = book.rows.slice(3);
  expect(agencyRows).toHaveLength(lines.length);
  expect(lines.length).toBeGreaterThan(0);
  agencyRows.forEach(({ values, percent }, r) => {
    const line = lines[r]!;
    values.forEach((value, c) => {
      const text = line[c]!;
      if (percent[c]) {
        expect(typeof value).toBe('number');
        expect(Math.round((value as number) * 1000) / 10).toBe(csvShare(text));
      } else if (typeof value === 'number') expect(String(value)).toBe(text);
      else expect(value ?? '').toBe(text);
    });
  });
  const seeded = agencyRows.find((row) => row.values.includes(abbreviation));
  expect(seeded, `the seeded agency ${abbreviation} is in ${path}`).toBeDefined();
  return { book, seeded: seeded!.values };
}

describe('reports as XLSX', () => {
  it('when Phụ lục 1 is downloaded as XLSX, then every agency has the CSV’s figures, shares as percentages', async () => {
    const year = new Date().getFullYear();
    const { book, seeded } = await bothFiles('/reports/phu-luc-1', `nam=${year}&tinh=bac-ninh`);
    expect(book.name).toBe(`Phụ lục 1 năm ${year}`);
    expect(book.title).toContain(`năm ${year} (Phụ lục 1)`);
    // STT, name, abbreviation, staff, with a mailbox, share, regular users, share, directory
    expect(seeded.slice(2)).toEqual([abbreviation, 3, 2, 2 / 3, 1, 0.5, 'Có (2 địa chỉ)']);
  });

  it('when the usage statistics are downloaded as XLSX, then every agency has the CSV’s figures', async () => {
    const year = new Date().getFullYear();
    const { seeded } = await bothFiles('/reports/usage', `nam=${year}&tinh=bac-ninh`);
    // abbreviation, active, suspended or locked, deleted, made, deleted this year, regular, agency box
    expect(seeded.slice(2)).toEqual([abbreviation, 2, 0, 0, 2, 0, 1, 'Chưa có']);
  });

  it('when the SLA report of a period is downloaded as XLSX, then every agency has the CSV’s figures', async () => {
    const { book, seeded } = await bothFiles('/reports/sla', 'tu=2022-03-01&den=2022-03-31');
    expect(book.title).toContain('01/03/2022');
    // name, abbreviation, received, on time, late, not yet due, share on time
    expect(seeded.slice(1)).toEqual([abbreviation, 2, 1, 1, 0, 0.5]);
  });
});
