// The default-password sweep (Kiên Giang Điều 10 khoản 3), run with the inactivity sweep and on
// POST /admin/default-passwords/sweep (an operator may give `asOf`, the instant to judge at): in
// each province with a `defaultPasswordLock`, an active personal mailbox whose issued password its
// holder has not changed within the working days is locked: state `locked`, a `suspend` command
// (logins refused, mail kept), history `locked_default_password` with the rule and the dates, the
// state published (the requests replica and the agency's view see it). Only a `restore` request
// opens it again, with a new issued password. Each mailbox is decided in its own transaction under
// a row lock, judged again there, so a change the holder made in between wins.
import { listPolicies, type ProvincePolicy } from '@hopthu/naming';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import { findMailboxById } from '../../db/mailbox-repository.ts';
import { findIssuedPassword, findUnchangedIssuedPasswords } from '../../db/password-repository.ts';
import type { ChangeContext, ChangeDeps, DirectoryDeps } from '../deps.ts';
import { setMailboxState } from '../mailboxes/set-mailbox-state.ts';
import { issuedBeforeBound, judgeDefaultPassword } from './default-password-lock.ts';

export const DEFAULT_PASSWORD_ACTOR = 'default-password-sweep';
const BATCH = 100;

export interface DefaultPasswordSweepOutcome {
  asOf: string;
  locked: { mailboxId: string; address: string; dueAt: string }[];
}

export async function sweepDefaultPasswords(
  deps: DirectoryDeps,
  options: { asOf?: Date | undefined; province?: string | undefined; mailboxId?: string | undefined } = {},
): Promise<DefaultPasswordSweepOutcome> {
  const now = options.asOf ?? deps.clock.now();
  const out: DefaultPasswordSweepOutcome = { asOf: now.toISOString(), locked: [] };
  for (const policy of listPolicies()) {
    const bound = issuedBeforeBound(policy, now);
    if (!bound || (options.province && options.province !== policy.id)) continue;
    for (;;) {
      const candidates = await findUnchangedIssuedPasswords(deps.db, {
        province: policy.id,
        issuedBefore: bound,
        limit: BATCH,
        mailboxId: options.mailboxId,
      });
      let acted = 0;
      for (const candidate of candidates) {
        if (!judgeDefaultPassword(policy, candidate, now)) continue;
        const done = await deps.db
          .transaction()
          .execute((trx) => lockOne(trx, deps, policy, candidate.mailboxId, now));
        if (done) {
          out.locked.push(done);
          acted++;
        }
      }
      // what was locked leaves the candidates; stop when a batch locks nothing or is the last
      if (acted === 0 || candidates.length < BATCH) break;
    }
  }
  for (const l of out.locked)
    deps.logger.info({ ...l, rule: 'default-password' }, 'mailbox locked: issued password never changed');
  return out;
}

async function lockOne(
  trx: DirectoryDeps['db'],
  deps: Omit<ChangeDeps, 'db'>,
  policy: ProvincePolicy,
  mailboxId: string,
  now: Date,
): Promise<DefaultPasswordSweepOutcome['locked'][number] | null> {
  const mailbox = await findMailboxById(trx, mailboxId, { forUpdate: true });
  const password = await findIssuedPassword(trx, mailboxId);
  if (!mailbox || !password || mailbox.state !== 'active' || mailbox.type !== 'personal') return null;
  const verdict = judgeDefaultPassword(policy, password, now);
  if (!verdict) return null;
  const ctx: ChangeContext = {
    at: now,
    actor: DEFAULT_PASSWORD_ACTOR,
    correlationId: deps.newId(),
    requestId: null,
    itemId: null,
    reason:
      `Không đổi mật khẩu được cấp trong ${verdict.workingDays} ngày làm việc (${policy.name}, ${verdict.article}) / ` +
      `issued password not changed within ${verdict.workingDays} working days`,
  };
  await setMailboxState(
    { ...deps, db: trx },
    {
      before: mailbox,
      target: { action: 'suspend', state: 'locked', change: 'locked_default_password' },
      ctx,
      details: {
        rule: { province: policy.id, article: verdict.article, workingDays: verdict.workingDays },
        passwordIssuedAt: password.issuedAt.toISOString(),
        dueAt: verdict.dueAt.toISOString(),
      },
    },
  );
  // Nobody asked for this lock: the agency is told (the notifier mails its official mailbox).
  await insertOutboxMessage(trx, {
    topic: Topics.directory,
    key: `locked:${mailboxId}`,
    event: buildEvent(
      'vn.gov.hopthu.directory.mailbox-locked.v1',
      {
        mailboxId,
        address: mailbox.address,
        agencyId: mailbox.agencyId,
        province: policy.id,
        lockedAt: now.toISOString(),
        rule: 'default_password',
        article: verdict.article,
        reason: {
          vi: `mật khẩu được cấp không được đổi trong ${verdict.workingDays} ngày làm việc (${policy.name}, ${verdict.article})`,
          en: `the issued password was not changed within ${verdict.workingDays} working days`,
        },
      },
      { source: 'directory', subject: mailboxId, correlationId: ctx.correlationId },
    ),
  });
  return { mailboxId, address: mailbox.address, dueAt: verdict.dueAt.toISOString() };
}
