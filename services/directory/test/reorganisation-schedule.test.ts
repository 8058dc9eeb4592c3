// A reorganisation dated in the future, on the real stack: approved by two operators and asked to
// apply, it is not applied but `scheduled` for 00:00 (Vietnam) of its effective date; nothing
// changes, a pass of the schedule loop before that date leaves it waiting, a restart of the
// directory keeps it, and the pass as of its date applies it through the usual path.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createSqlPool, repoRoot, serviceDatabaseUrl, waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, ensureDirectory, randomLetters, registerTestAgency } from './helpers.ts';

const tag = randomLetters(6);
let stop: () => Promise<void> = async () => {};
const pool = createSqlPool(serviceDatabaseUrl('directory'));

beforeAll(async () => {
  stop = await ensureDirectory();
});

afterAll(async () => {
  await pool.end();
  await stop();
});

async function mailboxAddress(id: string): Promise<string> {
  const { rows } = await pool.query<{ address: string }>('SELECT address FROM mailboxes WHERE id = $1', [id]);
  return rows[0]?.address ?? '';
}

/** The date `days` ahead on the Vietnamese calendar. */
function dayAhead(days: number): string {
  return new Date(Date.now() + 7 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

describe('a reorganisation dated in the future', () => {
  it('waits as scheduled, survives a restart and is applied on its effective date', async () => {
    const unit = await registerTestAgency({ abbreviation: `sc${tag}`, name: `Sở Hẹn Ngày ${tag}` });
    const before = await mailboxAddress(unit.officialMailboxId);
    expect(before).toBe(`sc${tag}@bacninh.gov.vn`);
    const effectiveFrom = dayAhead(3);
    const dry = await admin('POST', '/admin/reorganisations', {
      title: `Đổi tên sở (kiểm thử hẹn ngày ${tag})`,
      basis: 'Quyết định kiểm thử',
      effectiveFrom,
      operations: [
        {
          op: 'rename_unit',
          unit: `bac-ninh/sc${tag}`,
          name: `Sở Đã Đổi Tên ${tag}`,
          abbreviation: `sd${tag}`,
        },
      ],
    });
    expect(dry.status, JSON.stringify(dry.body)).toBe(201);
    expect(dry.body).toMatchObject({ state: 'computed', mailboxesChanged: 1, conflicts: [] });
    const id = dry.body.id as string;
    for (const operator of ['canbo.mot', 'canbo.hai']) {
      const approved = await admin('POST', `/admin/reorganisations/${id}/approvals`, {
        operator,
        reason: 'Đồng ý theo quyết định',
      });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    }

    // asked to apply three days early: scheduled, nothing changed
    const asked = await admin('POST', `/admin/reorganisations/${id}/apply`, {});
    expect(asked.status).toBe(202);
    const scheduledFor = new Date(`${effectiveFrom}T00:00:00+07:00`).toISOString();
    expect(asked.body).toMatchObject({ state: 'scheduled', scheduledFor, scheduledBy: 'admin-api' });
    const listed = await admin('GET', '/admin/reorganisations');
    expect((listed.body.items as { id: string }[]).find((p) => p.id === id)).toMatchObject({
      state: 'scheduled',
      scheduledFor,
      applied: 0,
    });
    // asking again, or a pass of the loop today, changes nothing
    expect((await admin('POST', `/admin/reorganisations/${id}/apply`, {})).body.state).toBe('scheduled');
    const today = await admin('POST', '/admin/reorganisations/scheduled/run', {});
    expect(today.status).toBe(200);
    expect(today.body.started).not.toContain(id);
    const dayBefore = await admin('POST', '/admin/reorganisations/scheduled/run', {
      asOf: new Date(Date.parse(scheduledFor) - 1000).toISOString(),
    });
    expect(dayBefore.body.started).not.toContain(id);
    expect(await mailboxAddress(unit.officialMailboxId)).toBe(before);

    // a restart of the directory keeps the plan waiting
    const pid = Number(readFileSync(path.join(repoRoot, 'var', 'run', 'directory.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    execFileSync(path.join(repoRoot, 'hopthu'), ['start', 'directory'], { stdio: 'ignore' });
    // (the first call may meet a connection the killed process left open)
    const afterRestart = await waitFor(
      async () => {
        const answer = await admin('GET', `/admin/reorganisations/${id}`);
        return answer.status === 200 ? answer : null;
      },
      { timeoutMs: 20_000, what: 'the directory back' },
    );
    expect(afterRestart.body).toMatchObject({ state: 'scheduled', scheduledFor });
    expect(await mailboxAddress(unit.officialMailboxId)).toBe(before);

    // the loop's pass on the effective date applies it through the usual path
    const due = await admin('POST', '/admin/reorganisations/scheduled/run', {
      asOf: new Date(Date.parse(scheduledFor) + 60_000).toISOString(),
    });
    expect(due.body.started).toContain(id);
    await waitFor(async () => (await admin('GET', `/admin/reorganisations/${id}`)).body.state === 'applied', {
      timeoutMs: 40_000,
      intervalMs: 300,
      what: 'the scheduled plan applied',
    });
    expect(await mailboxAddress(unit.officialMailboxId)).toBe(`sd${tag}@bacninh.gov.vn`);
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM agencies WHERE id = $1', [
      unit.agencyId,
    ]);
    expect(rows[0]?.name).toBe(`Sở Đã Đổi Tên ${tag}`);
    // started once only
    const again = await admin('POST', '/admin/reorganisations/scheduled/run', {
      asOf: new Date(Date.parse(scheduledFor) + 120_000).toISOString(),
    });
    expect(again.body.started).not.toContain(id);
  });
});
