// An agency's own mailbox (hộp thư cơ quan): named by the province's unit rule from the agency's
// lineage, created in state `provisioning` with a `create` command for the mail server.
import { getPolicy } from '@hopthu/naming';
import { findAgencyLineage, setOfficialMailbox } from '../../db/agency-repository.ts';
import { findLiveAgencyMailbox, type Mailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { claimMailbox } from '../mailboxes/claim-mailbox.ts';
import { unitNamingInput } from '../mailboxes/naming-input.ts';
import { randomPasswordHash } from '../mailboxes/password-hash.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';

export type OfficialMailboxOutcome =
  | { outcome: 'created'; mailbox: Mailbox }
  | { outcome: 'exists'; mailbox: Mailbox }
  | { outcome: 'operator'; candidates: string[] }
  | { outcome: 'error'; message: { vi: string; en: string } };

export async function createOfficialMailbox(
  deps: Pick<ChangeDeps, 'db' | 'newId'>,
  args: {
    agencyId: string;
    passwordHash?: string | undefined;
    /** A local part the agency chose (wins over the rule; numbered on collision by an operator). */
    mailboxName?: string | undefined;
    /** A local part an operator decided: used exactly. */
    forcedLocal?: string | undefined;
    ctx: ChangeContext;
  },
): Promise<OfficialMailboxOutcome> {
  const { db, newId } = deps;
  const { ctx } = args;
  const lineage = await findAgencyLineage(db, args.agencyId);
  const agency = lineage[0];
  if (!agency) throw new Error(`agency ${args.agencyId} not found`);
  const existing = await findLiveAgencyMailbox(db, agency.id);
  if (existing) return { outcome: 'exists', mailbox: existing };

  const policy = getPolicy(agency.province);
  const quotaBytes = policy.agencyQuotaBytes;
  const claim = await claimMailbox(db, {
    policy,
    input: unitNamingInput(lineage, args.mailboxName),
    forcedLocal: args.forcedLocal,
    mailbox: {
      id: newId(),
      type: 'agency',
      agencyId: agency.id,
      personId: null,
      province: agency.province,
      quotaBytes,
    },
    at: ctx.at,
  });
  if (claim.outcome === 'holder_has_mailbox') {
    const raced = await findLiveAgencyMailbox(db, agency.id);
    if (raced) return { outcome: 'exists', mailbox: raced };
    throw new Error('agency mailbox insert refused without a holder');
  }
  if (claim.outcome === 'operator') return claim;
  if (claim.outcome === 'error') return { outcome: 'error', message: claim.message };

  const mailbox = claim.mailbox;
  await setOfficialMailbox(db, agency.id, mailbox.id, ctx.at);
  await recordMailboxChange(
    deps,
    {
      mailbox,
      history: { change: 'created', details: { address: mailbox.address, type: 'agency', quotaBytes } },
      command: {
        action: 'create',
        passwordHash: args.passwordHash ?? (await randomPasswordHash()),
        quotaBytes,
      },
      agencyId: agency.id,
    },
    ctx,
  );
  return { outcome: 'created', mailbox };
}
