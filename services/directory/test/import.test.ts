// Import of a province's existing mail system, end to end on the real stack: the binding CLI
// (./hopthu import, here `node scripts/import.ts` with the same arguments) over the directory's
// admin API, the provisioner's bulk create into vmail and Dovecot checking the OLD passwords over
// IMAP. Each test generates its own small province slice (a tag in every abbreviation).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemClock, newId } from '@hopthu/shared/clock';
import { createDb } from '@hopthu/shared/db';
import { createLogger } from '@hopthu/shared/logger';
import { createSqlPool, imapLoginWorks, repoRoot, serviceDatabaseUrl, waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProvince, zimbraSsha512 } from '../../../scripts/import-generate.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';
import { applyImportJob, submitImport } from '../src/domain/imports/run-import.ts';
import { admin, ensureDirectory, randomLetters } from './helpers.ts';

const DOMAIN = 'bacninh.gov.vn';
const directoryDb = createSqlPool(serviceDatabaseUrl('directory'));
// another suite may restart PostgreSQL: an idle client it drops must not fail this file
directoryDb.on('error', () => {});
let stopDirectory: () => Promise<void> = async () => {};

beforeAll(async () => {
  stopDirectory = await ensureDirectory();
}, 120_000);
afterAll(async () => {
  await directoryDb.end();
  await stopDirectory();
});

interface CliResult {
  code: number;
  json: {
    agencies: number;
    mailboxes: number;
    legacy: number;
    alreadyImported: number;
    conflicts: { file: string; line: number; field: string; message: string }[];
    applied: boolean;
    mailboxesConfirmed?: number;
  };
  stderr: string;
}

function writeFiles(agencies: string, mailboxes: string): { agencies: string; mailboxes: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'hopthu-import-'));
  const files = { agencies: path.join(dir, 'agencies.csv'), mailboxes: path.join(dir, 'mailboxes.csv') };
  writeFileSync(files.agencies, `\uFEFF${agencies}`);
  writeFileSync(files.mailboxes, mailboxes);
  return files;
}

/** The binding CLI: `./hopthu import --province … --agencies … --mailboxes … [--apply]`. */
function runImport(files: { agencies: string; mailboxes: string }, apply: boolean): Promise<CliResult> {
  const args = [
    'scripts/import.ts',
    '--province',
    'bac-ninh',
    '--agencies',
    files.agencies,
    '--mailboxes',
    files.mailboxes,
  ];
  if (apply) args.push('--apply');
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: repoRoot, timeout: 170_000 }, (error, stdout, stderr) => {
      const lines = stdout.trim().split('\n');
      resolve({
        code: error ? ((error as { code?: number }).code ?? 1) : 0,
        json: JSON.parse(lines.at(-1) ?? '{}'),
        stderr,
      });
    });
  });
}

async function countTagged(tag: string) {
  const { rows } = await directoryDb.query<{
    agencies: string;
    mailboxes: string;
    history: string;
    people: string;
  }>(
    `SELECT (SELECT count(*) FROM agencies WHERE abbreviation LIKE '%' || $1) AS agencies,
            (SELECT count(*) FROM mailboxes m JOIN agencies a ON a.id = m.agency_id WHERE a.abbreviation LIKE '%' || $1) AS mailboxes,
            (SELECT count(*) FROM mailbox_history h JOIN mailboxes m ON m.id = h.mailbox_id
               JOIN agencies a ON a.id = m.agency_id WHERE a.abbreviation LIKE '%' || $1) AS history,
            (SELECT count(*) FROM people p JOIN agencies a ON a.id = p.agency_id WHERE a.abbreviation LIKE '%' || $1) AS people`,
    [tag],
  );
  const r = rows[0] as { agencies: string; mailboxes: string; history: string; people: string };
  return {
    agencies: Number(r.agencies),
    mailboxes: Number(r.mailboxes),
    history: Number(r.history),
    people: Number(r.people),
  };
}

/** Local parts the directory holds in the province: generated provinces steer clear of them. */
async function takenInDirectory(): Promise<(local: string) => boolean> {
  const { rows } = await directoryDb.query<{ local_part: string }>(
    `WITH d AS (SELECT $1::text AS domain UNION SELECT domain FROM province_domains WHERE province = 'bac-ninh')
     SELECT local_part FROM mailboxes WHERE domain IN (SELECT domain FROM d)
     UNION SELECT local_part FROM aliases WHERE domain IN (SELECT domain FROM d)
     UNION SELECT local_part FROM reserved_addresses WHERE domain IN (SELECT domain FROM d)
     UNION SELECT local_part FROM retired_addresses WHERE domain IN (SELECT domain FROM d)`,
    [DOMAIN],
  );
  const taken = new Set(rows.map((r) => r.local_part));
  return (local) => taken.has(local);
}

async function mailboxByAddress(address: string) {
  const { rows } = await directoryDb.query<{ id: string; state: string; legacy: boolean }>(
    `SELECT id, state, legacy FROM mailboxes WHERE address = $1 AND state <> 'deleted'`,
    [address],
  );
  return rows[0];
}

/** A hash of `password` as Dovecot itself writes it in `scheme`. */
function doveadmHash(scheme: string, password: string): string {
  return execFileSync('doveadm', ['pw', '-s', scheme, '-p', password], { encoding: 'utf8' }).trim();
}

describe('./hopthu import', () => {
  it('when the files have seeded conflicts, then the plan names each by file, line and field, exits non-zero and writes nothing', async () => {
    const tag = `c${randomLetters(6)}`;
    const province = generateProvince({
      province: 'bac-ninh',
      agencies: 12,
      mailboxes: 120,
      tag,
      seed: 7,
      isTaken: await takenInDirectory(),
    });
    const lines = province.mailboxesCsv.trimEnd().split('\n');
    const agencyLines = province.agenciesCsv.trimEnd().split('\n');
    // line numbers as an editor shows them: the header is line 1
    lines[10] = lines[5] as string; // line 11: the address of line 6 again
    lines[20] = (lines[20] as string).replace(/,\{SSHA512\}[^,]+,/, ',{SSHA512}dG9vc2hvcnQ=,'); // line 21
    lines[30] = (lines[30] as string).replace(`@${DOMAIN}`, '@gmail.com'); // line 31
    const cells = (lines[40] as string).split(',');
    cells[2] = `khongco${tag}`;
    lines[40] = cells.join(','); // line 41: an agency not in the files
    agencyLines.push(`${agencyLines[3]?.split(',')[0]},Trùng tên viết tắt,,,subunit`); // the last agency line
    const files = writeFiles(`${agencyLines.join('\n')}\n`, `${lines.join('\n')}\n`);

    const result = await runImport(files, true);

    expect(result.code).not.toBe(0);
    expect(result.json.applied).toBe(false);
    const found = result.json.conflicts.map((c) => `${c.file}:${c.line}:${c.field}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'mailboxes:11:address',
        'mailboxes:21:password_hash',
        'mailboxes:31:address',
        'mailboxes:41:agency_abbreviation',
        `agencies:${agencyLines.length}:abbreviation`,
      ]),
    );
    expect(await countTagged(tag)).toEqual({ agencies: 0, mailboxes: 0, history: 0, people: 0 });
  }, 60_000);

  it('when a clean province is applied, then every mailbox is created, the old passwords log in over IMAP in every scheme, legacy and imported states show, and a second apply changes nothing', async () => {
    const tag = `a${randomLetters(6)}`;
    const province = generateProvince({
      province: 'bac-ninh',
      agencies: 15,
      mailboxes: 200,
      tag,
      seed: 11,
      isTaken: await takenInDirectory(),
    });
    // one mailbox per scheme Dovecot checks, hashed by Dovecot's own tool (quoted: an Argon2 hash
    // holds commas); one suspended; one with an alias
    const schemes = ['SHA512-CRYPT', 'BLF-CRYPT', 'ARGON2ID', 'SSHA512', 'SHA256-CRYPT'];
    const extra = schemes.map((scheme, i) => {
      const address = `kt${i}${tag}.snv${tag}@${DOMAIN}`;
      const password = `Cu-${scheme}-${tag}!`;
      return {
        address,
        password,
        line: `${address},personal,snv${tag},Lê,Thị,Mai${'ABCDE'[i]},Chuyên viên,,active,,"${doveadmHash(scheme, password)}",`,
      };
    });
    const suspended = `tamngung${tag}.snv${tag}@${DOMAIN}`;
    const suspendedPassword = `Cu-susp-${tag}!`;
    const aliased = {
      address: `bidanh${tag}.snv${tag}@${DOMAIN}`,
      alias: `cu.${tag}@${DOMAIN}`,
      password: `Cu-alias-${tag}!`,
    };
    const mailboxes = [
      province.mailboxesCsv.trimEnd(),
      ...extra.map((e) => e.line),
      `${suspended},personal,snv${tag},Phạm,Văn,Tạm,Chuyên viên,,suspended,,${zimbraSsha512(suspendedPassword, Buffer.from('12345678'))},`,
      `${aliased.address},personal,snv${tag},Đỗ,Văn,Bí,"Trưởng phòng, kiêm nhiệm",,active,,${zimbraSsha512(aliased.password, Buffer.from('abcdefgh'))},${aliased.alias}`,
    ].join('\n');
    const files = writeFiles(province.agenciesCsv, `${mailboxes}\n`);
    const total = province.mailboxes + extra.length + 2;

    const plan = await runImport(files, false);
    expect(plan.json.conflicts).toEqual([]);
    expect(plan.code).toBe(0);
    expect(plan.json).toMatchObject({
      agencies: province.agencies,
      mailboxes: total,
      conflicts: [],
      applied: false,
    });
    expect(await countTagged(tag)).toMatchObject({ agencies: 0, mailboxes: 0 });

    const applied = await runImport(files, true);
    expect(applied.stderr).toMatch(/import \d+\/\d+/);
    expect(applied.code).toBe(0);
    expect(applied.json).toMatchObject({
      applied: true,
      mailboxes: total,
      mailboxesConfirmed: total,
      conflicts: [],
    });
    const after = await countTagged(tag);
    expect(after).toMatchObject({ agencies: province.agencies, mailboxes: total });

    for (const sample of [...province.samples, ...extra, aliased]) {
      expect(await imapLoginWorks(sample.address, sample.password), sample.address).toBe(true);
    }
    // the alias delivers to the mailbox: it is one of its addresses in vmail too (login by alias is not)
    const state = await admin('GET', `/admin/mailboxes/${(await mailboxByAddress(aliased.address))?.id}`);
    expect(state.body).toMatchObject({
      aliases: [aliased.alias],
      state: 'active',
      legacy: true,
      position: 'Trưởng phòng, kiêm nhiệm',
    });
    // the generator's legacy form (given name first, an underscore) is off the rule
    const legacyAddress = province.mailboxesCsv
      .split('\n')
      .map((l) => l.split(',')[0] as string)
      .find((a) => a.includes('_')) as string;
    expect(await mailboxByAddress(legacyAddress)).toMatchObject({ legacy: true });
    expect(await mailboxByAddress(province.samples[0]?.address as string)).toMatchObject({ legacy: false });
    await waitFor(async () => (await mailboxByAddress(suspended))?.state === 'suspended', {
      what: 'imported suspended state',
    });
    expect(await imapLoginWorks(suspended, suspendedPassword)).toBe(false);

    // the suspend that followed the import has been answered: nothing more is on its way
    await waitFor(
      async () => {
        const { rows } = await directoryDb.query(
          `SELECT 1 FROM mailbox_history h JOIN mailboxes m ON m.id = h.mailbox_id
            WHERE m.address = $1 AND h.change = 'suspend_applied'`,
          [suspended],
        );
        return rows.length > 0;
      },
      { what: 'the suspend of the imported suspended mailbox applied' },
    );
    const settled = await countTagged(tag);
    const again = await runImport(files, true);
    expect(again.code).toBe(0);
    expect(again.json).toMatchObject({ applied: true, alreadyImported: province.agencies + total });
    expect(await countTagged(tag)).toEqual(settled);
  }, 180_000);

  it('when an apply stops after its first batch, then running the same files again finishes it without duplicates', async () => {
    const tag = `r${randomLetters(6)}`;
    const province = generateProvince({
      province: 'bac-ninh',
      agencies: 8,
      mailboxes: 90,
      tag,
      seed: 5,
      isTaken: await takenInDirectory(),
    });
    const files = writeFiles(province.agenciesCsv, province.mailboxesCsv);
    const db = createDb<DirectoryDatabase>(serviceDatabaseUrl('directory'));
    const deps = {
      db,
      logger: createLogger('import-test', { level: 'warn' }),
      clock: systemClock,
      newId,
      retiredHoldDays: 365,
      renameAliasDays: 90,
    };
    try {
      const started = await submitImport(deps, {
        province: 'bac-ninh',
        agencies: `\uFEFF${province.agenciesCsv}`,
        mailboxes: province.mailboxesCsv,
        mailboxesFormat: 'auto',
        apply: true,
      });
      const crash = new Error('killed after the first batch');
      await expect(
        applyImportJob(deps, started.jobId as string, {
          batchSize: 30,
          afterBatch: () => {
            throw crash;
          },
        }),
      ).rejects.toBe(crash);
    } finally {
      await db.destroy();
    }
    expect((await countTagged(tag)).mailboxes).toBe(30);

    const resumed = await runImport(files, true);
    expect(resumed.code).toBe(0);
    expect(resumed.json).toMatchObject({ applied: true, alreadyImported: province.agencies + 30 });
    expect(await countTagged(tag)).toMatchObject({
      agencies: province.agencies,
      mailboxes: province.mailboxes,
    });
    const { rows } = await directoryDb.query(
      `SELECT address FROM mailboxes m JOIN agencies a ON a.id = m.agency_id
        WHERE a.abbreviation LIKE '%' || $1 GROUP BY address HAVING count(*) > 1`,
      [tag],
    );
    expect(rows).toEqual([]);
    for (const sample of province.samples)
      expect(await imapLoginWorks(sample.address, sample.password)).toBe(true);
  }, 180_000);

  it('when the mailboxes come as Zimbra zmprov -l gaa -v output, then they import and log in with the old password', async () => {
    const tag = `z${randomLetters(6)}`;
    const agencies = [
      'abbreviation,name,parent_abbreviation,unit_code,unit_type',
      `stc${tag},Sở Tài chính,,,department`,
    ].join('\n');
    const password = `Cu-zimbra-${tag}!`;
    const zmprov = [
      `# name stc${tag}@${DOMAIN}`,
      'cn: Sở Tài chính',
      `userPassword: ${zimbraSsha512(`x-${password}`, Buffer.from('saltsalt'))}`,
      'zimbraAccountStatus: active',
      `zimbraMailDeliveryAddress: stc${tag}@${DOMAIN}`,
      '',
      `# name hoa.nguyen.stc${tag}@${DOMAIN}`,
      'cn: Nguyễn Thị Hoa',
      'givenName: Thị Hoa',
      'sn: Nguyễn',
      'title: Kế toán',
      `userPassword: ${zimbraSsha512(password, Buffer.from('pepper!!'))}`,
      'zimbraAccountStatus: active',
      `zimbraMailAlias: hoant.${tag}@${DOMAIN}`,
      `zimbraMailDeliveryAddress: hoa.nguyen.stc${tag}@${DOMAIN}`,
      'zimbraMailQuota: 524288000',
      '',
    ].join('\n');
    const files = writeFiles(`${agencies}\n`, zmprov);

    const result = await runImport(files, true);

    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ agencies: 1, mailboxes: 2, legacy: 1, applied: true });
    expect(await imapLoginWorks(`hoa.nguyen.stc${tag}@${DOMAIN}`, password)).toBe(true);
    const mailbox = await mailboxByAddress(`hoa.nguyen.stc${tag}@${DOMAIN}`);
    const state = await admin('GET', `/admin/mailboxes/${mailbox?.id}`);
    expect(state.body).toMatchObject({
      displayName: 'Nguyễn Thị Hoa',
      position: 'Kế toán',
      quotaBytes: 500 * 1024 * 1024,
      aliases: [`hoant.${tag}@${DOMAIN}`],
      legacy: true,
    });
  }, 60_000);
});
