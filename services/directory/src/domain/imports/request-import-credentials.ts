// Mailboxes imported without a password hash (issue 11) are created with a password nobody knows;
// their agency must receive a one-time credential for each, as it does for a new mailbox. Once an
// import's mailboxes have all been answered by the mail server, one pass of this loop publishes, per
// agency, `directory.import-credentials.v1` listing its live passwordless mailboxes (in parts of
// 500); the requests service files them for the agency as a `reset_password` request, which issues
// the credentials, sets them on the mail server through the usual path and ends in the agency's
// result mail and its one-time credential links. The job is marked in the same transaction as the
// events (outbox), so each job asks once, whichever directory pass or restart comes first.
import { buildEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessages } from '@hopthu/shared/outbox';
import {
  listJobsAwaitingCredentials,
  listMailboxesWithoutPassword,
  markCredentialsRequested,
} from '../../db/import-job-list-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { readImportProgress } from './run-import.ts';

/** Mailboxes per event (and per request the requests service files). */
export const CREDENTIALS_PER_PART = 500;

/** How often the loop looks for imports whose credentials are due. */
export const CREDENTIALS_INTERVAL_MS = 10_000;

export interface CredentialPart {
  agencyId: string;
  part: number;
  parts: number;
  mailboxes: { mailboxId: string; address: string }[];
}

/** Pure: the parts to publish, per agency in parts of `size`, live mailboxes only. */
export function credentialParts(
  mailboxes: readonly { mailboxId: string; address: string; agencyId: string; state: string }[],
  size = CREDENTIALS_PER_PART,
): CredentialPart[] {
  const byAgency = new Map<string, { mailboxId: string; address: string }[]>();
  for (const m of mailboxes) {
    // a mailbox imported suspended or locked gets its password when a restore or reset opens it
    if (m.state !== 'active') continue;
    const list = byAgency.get(m.agencyId) ?? [];
    list.push({ mailboxId: m.mailboxId, address: m.address });
    byAgency.set(m.agencyId, list);
  }
  const parts: CredentialPart[] = [];
  for (const [agencyId, list] of byAgency) {
    const count = Math.ceil(list.length / size);
    for (let i = 0; i < count; i++) {
      parts.push({ agencyId, part: i + 1, parts: count, mailboxes: list.slice(i * size, (i + 1) * size) });
    }
  }
  return parts;
}

/**
 * One pass: every applied import whose mailboxes the mail server has all answered and whose
 * credentials were not asked for yet. Returns the number of mailboxes asked for.
 */
export async function requestImportCredentials(deps: DirectoryDeps): Promise<number> {
  let asked = 0;
  for (const jobId of await listJobsAwaitingCredentials(deps.db)) {
    const progress = await readImportProgress(deps, jobId);
    if (!progress.finished) continue; // the mail server has not answered every mailbox yet
    const parts = credentialParts(await listMailboxesWithoutPassword(deps.db, jobId));
    const at = deps.clock.now();
    const marked = await deps.db.transaction().execute(async (trx) => {
      if (!(await markCredentialsRequested(trx, jobId, at))) return false;
      if (parts.length === 0) return true;
      await insertOutboxMessages(
        trx,
        parts.map((p) => {
          const key = `import-credentials:${jobId}:${p.agencyId}:${p.part}`;
          return {
            topic: Topics.directory,
            key,
            event: buildEvent(
              'vn.gov.hopthu.directory.import-credentials.v1',
              { jobId, province: progress.province, ...p },
              { source: EVENT_SOURCE, subject: key, correlationId: jobId, time: at },
            ),
          };
        }),
      );
      return true;
    });
    if (!marked) continue;
    const mailboxes = parts.reduce((n, p) => n + p.mailboxes.length, 0);
    asked += mailboxes;
    deps.logger.info(
      { importJob: jobId, mailboxes, agencies: new Set(parts.map((p) => p.agencyId)).size },
      'import: one-time credentials asked for the mailboxes imported without a password',
    );
  }
  return asked;
}
