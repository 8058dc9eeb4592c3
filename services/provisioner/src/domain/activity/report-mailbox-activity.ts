// The activity report (regulations §6 needs to know who has not used their mailbox): reads each
// mailbox's last login, last message sent and last message delivered from the mail server and,
// for every one whose latest use changed since the last report (a new use is always the latest),
// publishes vn.gov.hopthu.provisioning.activity.v1 on hopthu.provisioning.results.v1 (key mailbox
// id) through the outbox, in the transaction that records what was reported. The directory decides
// what inactivity means; the provisioner only says what the mail server knows.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { buildEvent, type MailboxActivity, Topics } from '@hopthu/shared/events';
import type { Logger } from '@hopthu/shared/logger';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { Kysely } from 'kysely';
import type { MailboxLogin, MailServerAdapter } from '../mail-server-adapter.ts';
import {
  findMailboxIdsByAddress,
  findReportedLogins,
  lockActivityReports,
  upsertReportedLogin,
} from '../../db/activity-report-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { EVENT_SOURCE } from '../commands/provisioning-result.ts';

const BATCH = 500;

export interface ActivityReportDeps {
  db: Kysely<ProvisionerDb>;
  adapter: MailServerAdapter;
  clock: Clock;
  newId: NewId;
  logger: Logger;
}

export interface ActivityReport {
  /** Mailboxes with a login on the mail server. */
  mailboxesWithLogin: number;
  /** Events published (last login changed since the previous report). */
  reported: number;
  /** Addresses no mailbox id is known for (neither published by the directory nor commanded). */
  unmatched: number;
}

export async function reportMailboxActivity(
  deps: ActivityReportDeps,
  filter: { domain?: string | undefined } = {},
): Promise<ActivityReport> {
  const logins = await deps.adapter.listLastLogins(filter);
  let reported = 0;
  let unmatched = 0;
  for (let i = 0; i < logins.length; i += BATCH) {
    const batch = logins.slice(i, i + BATCH);
    const outcome = await deps.db.transaction().execute(async (trx) => {
      await lockActivityReports(trx);
      const ids = await findMailboxIdsByAddress(
        trx,
        batch.map((l) => l.address),
      );
      const before = await findReportedLogins(trx, [...new Set(ids.values())]);
      const at = deps.clock.now();
      let sent = 0;
      for (const login of batch) {
        const mailboxId = ids.get(login.address);
        if (mailboxId === undefined) continue;
        const latest = latestUse(login);
        if (!latest || before.get(mailboxId)?.getTime() === latest.getTime()) continue;
        const data: MailboxActivity = {
          mailboxId,
          address: login.address,
          ...(login.lastLoginAt ? { lastLoginAt: login.lastLoginAt.toISOString() } : {}),
          ...(login.lastSentAt ? { lastSentAt: login.lastSentAt.toISOString() } : {}),
          ...(login.lastReceivedAt ? { lastReceivedAt: login.lastReceivedAt.toISOString() } : {}),
        };
        const event = buildEvent('vn.gov.hopthu.provisioning.activity.v1', data, {
          source: EVENT_SOURCE,
          subject: mailboxId,
          time: at,
          id: deps.newId(),
        });
        await insertOutboxMessage(trx, { topic: Topics.provisioningResults, key: mailboxId, event });
        await upsertReportedLogin(trx, { mailboxId, address: login.address, lastLoginAt: latest }, at);
        sent++;
      }
      return { sent, unmatched: batch.length - batch.filter((l) => ids.has(l.address)).length };
    });
    reported += outcome.sent;
    unmatched += outcome.unmatched;
  }
  if (reported > 0 || unmatched > 0) {
    deps.logger.info({ mailboxesWithLogin: logins.length, reported, unmatched }, 'mailbox activity reported');
  }
  return { mailboxesWithLogin: logins.length, reported, unmatched };
}

/** The latest of the mailbox's uses, whatever kind (the directory picks the kinds its province counts). */
function latestUse(login: MailboxLogin): Date | null {
  const times = [login.lastLoginAt, login.lastSentAt, login.lastReceivedAt].flatMap((d) =>
    d ? [d.getTime()] : [],
  );
  return times.length ? new Date(Math.max(...times)) : null;
}
