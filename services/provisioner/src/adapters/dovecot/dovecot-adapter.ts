// The Dovecot 2.3 + Postfix 3.7 adapter: writes the vmail rows both daemons read (no reload is
// needed: the auth cache is off) and calls the doveadm HTTP API to end sessions, which a row
// change alone does not. See docs/provisioner.md and /work/shared/docs/mail-server-recipe.md.
//
// Each change runs in one vmail transaction that locks the mailbox row and compares generations
// (decideGeneration). Follow-ups outside the database (kick, maildir moves) are idempotent and
// re-run when the stored generation equals the command's, so a retry after a crash finishes them.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Clock } from '@hopthu/shared/clock';
import { PermanentError } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import { sql } from 'kysely';
import { decideGeneration } from '../../domain/commands/generation.ts';
import { maildirFor, parseMailAddress, retentionPathFor } from '../../domain/commands/mail-address.ts';
import { isRetentionDay, parseRetainedName } from '../../domain/retention/retention-dates.ts';
import type {
  AdapterOutcome,
  AliasSnapshot,
  MailboxSnapshot,
  MailServerAdapter,
  RetainedMailbox,
} from '../../domain/mail-server-adapter.ts';
import type { DoveadmClient } from './doveadm-client.ts';
import {
  deleteVmailAliasDomain,
  deleteVmailAliasEntry,
  deleteVmailMailbox,
  ensureVmailDomain,
  ensureVmailDomains,
  findVmailAliasDomain,
  findVmailAliasEntry,
  findVmailGenerations,
  findVmailMailbox,
  forceVmailAlias,
  forceVmailMailboxState,
  listVmailAliasEntries,
  listVmailLastLogins,
  listVmailMailboxes,
  renameVmailMailbox,
  updateVmailMailbox,
  upsertVmailAlias,
  upsertVmailMailbox,
  upsertVmailMailboxes,
  type Vmail,
  writeVmailAliasDomain,
  writeVmailAliasEntry,
} from './vmail-repository.ts';

export interface DovecotAdapterOptions {
  vmail: Vmail;
  doveadm: DoveadmClient;
  /** Root of the maildirs, e.g. /var/vmail. */
  vmailRoot: string;
  /** Where deleted maildirs are moved, e.g. /var/vmail/.retention. */
  retentionDir: string;
  /** How long a renamed mailbox's old address forwards to the new one. */
  renameAliasDays: number;
  clock: Clock;
  logger: Logger;
}

const DAY_MS = 86_400_000;
/** A crypt value no password matches: a mailbox recreated by a drift repair until its password is reset. */
const LOCKED_PASSWORD = '{CRYPT}!locked-by-drift-repair';

function checkedAddress(address: string): { localPart: string; domain: string } {
  const parsed = parseMailAddress(address);
  if (!parsed) {
    throw new PermanentError(`Địa chỉ thư không hợp lệ: "${address}" / invalid mail address "${address}"`);
  }
  return parsed;
}

/** A create's address, checked to be valid and in the command's domain. */
function checkedCreate(input: { address: string; domain: string }): { localPart: string; domain: string } {
  const parsed = checkedAddress(input.address);
  if (parsed.domain !== input.domain) {
    throw new PermanentError(
      `Địa chỉ "${input.address}" không thuộc tên miền "${input.domain}" / address "${input.address}" is not in domain "${input.domain}"`,
    );
  }
  return parsed;
}

const notFound = (address: string) =>
  new PermanentError(
    `Hộp thư ${address} không có trên máy chủ thư / mailbox ${address} does not exist on the mail server`,
  );

/**
 * PostgreSQL integrity (23…) and data (22…) errors never pass on retry: make them permanent. The
 * original error is dropped on purpose: its `detail` ("Failing row contains (…)") would carry the
 * password hash into logs and the result event.
 */
function asPermanent(err: unknown): unknown {
  const e = err as { code?: string; message?: string; detail?: string; constraint?: string };
  if (typeof e?.code === 'string' && /^2[23]/.test(e.code)) {
    const detail = e.detail && !/failing row/i.test(e.detail) ? ` (${e.detail})` : '';
    return new PermanentError(
      `Máy chủ thư từ chối thay đổi / the mail server refused the change: ${e.message}${detail} [SQLSTATE ${e.code}]`,
    );
  }
  return err;
}

const skipped = (...notes: string[]): AdapterOutcome => ({ outcome: 'skipped', notes });
const applied = (...notes: string[]): AdapterOutcome => ({ outcome: 'applied', notes });
/** The mail server already holds exactly this generation: an earlier attempt of this change got through. */
const current = (...notes: string[]): AdapterOutcome => ({ outcome: 'skipped', current: true, notes });
const notNewer = (decision: 'current' | 'stale'): AdapterOutcome =>
  decision === 'current' ? current('already applied') : skipped('a newer generation is already applied');

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

const aliasSnapshot = (row: {
  address: string;
  targets: string[];
  allowedSenders: string[] | null;
  expiresAt: Date | null;
  generation: number;
}): AliasSnapshot => ({
  address: row.address,
  targets: row.targets,
  allowedSenders: row.allowedSenders,
  expiresAt: row.expiresAt,
  generation: row.generation,
});

export function createDovecotAdapter(options: DovecotAdapterOptions): MailServerAdapter {
  const { vmail, doveadm, logger } = options;

  const inVmail = async <T>(fn: (trx: Vmail) => Promise<T>): Promise<T> => {
    try {
      return await vmail.transaction().execute(fn);
    } catch (err) {
      throw asPermanent(err);
    }
  };

  /** Moves a maildir into retention; a missing maildir or an unwritable retention area is only noted. */
  const retainMaildir = async (maildir: string, address: string, generation: number): Promise<string> => {
    const from = path.join(options.vmailRoot, maildir);
    if (!(await exists(from))) return 'no maildir on disk';
    const to = retentionPathFor(options.retentionDir, address, generation, options.clock.now());
    try {
      await fs.mkdir(path.dirname(to), { recursive: true });
      if (await exists(to)) return `maildir already retained at ${to}`;
      await fs.rename(from, to);
      return `maildir moved to ${to}`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      logger.warn({ err, maildir: from }, 'could not move the maildir into retention; left in place');
      return `maildir left at ${from} (${code})`;
    }
  };

  /** The retention area's day folders (`yyyy-mm-dd`), oldest first; other names are not ours. */
  const retentionDays = async (): Promise<string[]> => {
    const names = await fs.readdir(options.retentionDir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    return names.filter(isRetentionDay).sort();
  };

  const retainedOn = async (day: string): Promise<RetainedMailbox[]> => {
    const dir = path.join(options.retentionDir, day);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const out: RetainedMailbox[] = [];
    for (const name of names.sort()) {
      const parsed = parseRetainedName(name);
      if (parsed) out.push({ ...parsed, deletedOn: day, location: path.join(dir, name) });
    }
    return out;
  };

  /** Renames a maildir; a retry after the move finds it done. */
  const moveMaildir = async (fromRel: string, toRel: string): Promise<string> => {
    const from = path.join(options.vmailRoot, fromRel);
    const to = path.join(options.vmailRoot, toRel);
    if (!(await exists(from))) return (await exists(to)) ? 'maildir already moved' : 'no maildir on disk';
    if (await exists(to)) {
      throw new PermanentError(
        `Thư mục thư đích đã tồn tại: ${toRel} / the target maildir already exists: ${toRel}`,
      );
    }
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
    return `maildir moved to ${toRel}`;
  };

  /** The shared shape of set_password, set_quota, suspend and restore. */
  const changeMailbox = async (
    address: string,
    generation: number,
    change: { password?: string; quotaBytes?: number; active?: boolean; passwordChangeRequired?: boolean },
    after?: () => Promise<void>,
  ): Promise<AdapterOutcome> => {
    checkedAddress(address);
    const decision = await inVmail(async (trx) => {
      const row = await findVmailMailbox(trx, address, { forUpdate: true });
      if (!row) throw notFound(address);
      const d = decideGeneration(row.generation, generation);
      if (d === 'apply') await updateVmailMailbox(trx, address, { generation, ...change });
      return d;
    });
    if (decision === 'stale') return skipped('a newer generation is already applied');
    await after?.();
    return decision === 'apply' ? applied() : current('already applied');
  };

  return {
    name: 'dovecot',

    async createMailbox(input) {
      const { localPart, domain } = checkedCreate(input);
      const decision = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        const d = decideGeneration(row?.generation, input.generation);
        if (d !== 'apply') return d;
        await ensureVmailDomain(trx, domain);
        const written = await upsertVmailMailbox(trx, {
          username: input.address,
          domain,
          password: input.passwordHash,
          quotaBytes: input.quotaBytes,
          maildir: `${domain}/${localPart}/`,
          generation: input.generation,
          passwordChangeRequired: input.passwordChangeRequired,
        });
        return written ? 'apply' : 'stale'; // a concurrent writer got a newer generation in first
      });
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async createMailboxes(inputs) {
      const rows = inputs.map((input) => {
        const { localPart, domain } = checkedCreate(input);
        return {
          username: input.address,
          domain,
          password: input.passwordHash,
          quotaBytes: input.quotaBytes,
          maildir: `${domain}/${localPart}/`,
          generation: input.generation,
          passwordChangeRequired: input.passwordChangeRequired,
        };
      });
      if (new Set(rows.map((r) => r.username)).size !== rows.length)
        throw new PermanentError('Một địa chỉ có hai lần trong lô / an address is twice in the batch');
      // one statement for the batch; a row it did not write holds this generation or a newer one
      const decisions = await inVmail(async (trx) => {
        await ensureVmailDomains(
          trx,
          rows.map((r) => r.domain),
        );
        const written = await upsertVmailMailboxes(trx, rows);
        const stored = await findVmailGenerations(
          trx,
          rows.filter((r) => !written.has(r.username)).map((r) => r.username),
        );
        return rows.map((r) =>
          written.has(r.username)
            ? 'apply'
            : decideGeneration(stored.get(r.username) ?? r.generation, r.generation),
        );
      });
      return decisions.map((d) => (d === 'apply' ? applied() : notNewer(d)));
    },

    setPassword: (input) =>
      changeMailbox(input.address, input.generation, {
        password: input.passwordHash,
        passwordChangeRequired: input.passwordChangeRequired ?? false,
      }),

    setQuota: (input) => changeMailbox(input.address, input.generation, { quotaBytes: input.quotaBytes }),

    // the row change refuses new logins; only doveadm kick ends the sessions already open
    suspendMailbox: (input) =>
      changeMailbox(input.address, input.generation, { active: false }, () => doveadm.kick(input.address)),

    // a restore with a password (Kiên Giang's default-password lock) opens under a new issued one
    restoreMailbox: (input) =>
      changeMailbox(input.address, input.generation, {
        active: true,
        ...(input.passwordHash
          ? { password: input.passwordHash, passwordChangeRequired: input.passwordChangeRequired ?? false }
          : {}),
      }),

    async deleteMailbox(input) {
      checkedAddress(input.address);
      const found = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (!row) return { decision: 'absent' as const, maildir: maildirFor(input.address) };
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') await deleteVmailMailbox(trx, input.address);
        return { decision: d, maildir: row.maildir };
      });
      if (found.decision === 'stale') return skipped('a newer generation is already applied');
      // after the commit: nobody can log in again, so ending sessions and moving mail is final.
      // Dovecot never deletes mail files itself.
      await doveadm.kick(input.address);
      const note = await retainMaildir(found.maildir, input.address, input.generation);
      if (found.decision === 'current') return current('already applied', note);
      return applied(found.decision === 'absent' ? 'mailbox was not in vmail' : 'row deleted', note);
    },

    async renameMailbox(input) {
      checkedAddress(input.address);
      const next = checkedAddress(input.newAddress);
      const newMaildir = `${next.domain}/${next.localPart}/`;
      const result = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (!row) {
          // a retry after the rename committed finds the mailbox under its new address
          const moved = await findVmailMailbox(trx, input.newAddress, { forUpdate: true });
          if (!moved) throw notFound(input.address);
          const d = decideGeneration(moved.generation, input.generation);
          if (d === 'apply') throw notFound(input.address);
          return { decision: d, note: 'already applied' };
        }
        const d = decideGeneration(row.generation, input.generation);
        if (d !== 'apply') return { decision: d, note: 'a newer generation is already applied' };
        await ensureVmailDomain(trx, next.domain);
        await renameVmailMailbox(trx, input.address, {
          username: input.newAddress,
          domain: next.domain,
          maildir: newMaildir,
          generation: input.generation,
        });
        const transitionEnds =
          input.aliasExpiresAt ?? new Date(options.clock.now().getTime() + options.renameAliasDays * DAY_MS);
        await upsertVmailAlias(trx, {
          address: input.address,
          goto: input.newAddress,
          domain: row.domain,
          expiresAt: transitionEnds,
        });
        // sessions still use the old home; end them, then move the mail before the new row is
        // visible, so a first login at the new address finds its mail (a failed commit is retried
        // and finds the maildir already moved)
        await doveadm.kick(input.address);
        const note = await moveMaildir(row.maildir, newMaildir);
        return { decision: d, note };
      });
      if (result.decision === 'apply') return applied(result.note);
      return result.decision === 'current' ? current(result.note) : skipped(result.note);
    },

    async setAlias(input) {
      const { domain } = checkedAddress(input.address);
      const targets = [...new Set(input.targets.map((t) => t.toLowerCase()))];
      for (const t of targets) checkedAddress(t);
      const allowedSenders =
        input.allowedSenders === undefined
          ? null
          : [...new Set(input.allowedSenders.map((a) => a.toLowerCase()))];
      for (const a of allowedSenders ?? []) checkedAddress(a);
      if (targets.length === 0) {
        throw new PermanentError(
          `Bí danh ${input.address} không có địa chỉ đích / alias ${input.address} has no target`,
        );
      }
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasEntry(trx, input.address, { forUpdate: true });
        const d = decideGeneration(row?.generation, input.generation);
        if (d !== 'apply') return d;
        if (await findVmailMailbox(trx, input.address)) {
          throw new PermanentError(
            `${input.address} là một hộp thư, không thể làm bí danh / ${input.address} is a mailbox and cannot be an alias`,
          );
        }
        await ensureVmailDomain(trx, domain);
        await writeVmailAliasEntry(trx, {
          address: input.address,
          domain,
          targets,
          allowedSenders,
          expiresAt: input.expiresAt ?? null,
          generation: input.generation,
        });
        return d;
      });
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async removeAlias(input) {
      checkedAddress(input.address);
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasEntry(trx, input.address, { forUpdate: true });
        if (!row) return 'absent' as const;
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') await deleteVmailAliasEntry(trx, input.address);
        return d;
      });
      if (decision === 'absent') return applied('alias was not in vmail');
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async setAliasDomain(input) {
      const aliasDomain = input.address.toLowerCase();
      const targetDomain = input.targetDomain.toLowerCase();
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasDomain(trx, aliasDomain, { forUpdate: true });
        const d = decideGeneration(row?.generation, input.generation);
        if (d !== 'apply') return d;
        // both must be rows of `domain`: Postfix accepts mail only for those
        await ensureVmailDomain(trx, aliasDomain);
        await ensureVmailDomain(trx, targetDomain);
        await writeVmailAliasDomain(trx, { aliasDomain, targetDomain, generation: input.generation });
        return d;
      });
      if (decision === 'apply') return applied(`${aliasDomain} delivers to ${targetDomain}`);
      return notNewer(decision);
    },

    async removeAliasDomain(input) {
      const aliasDomain = input.address.toLowerCase();
      const decision = await inVmail(async (trx) => {
        const row = await findVmailAliasDomain(trx, aliasDomain, { forUpdate: true });
        if (!row) return 'absent' as const;
        const d = decideGeneration(row.generation, input.generation);
        if (d === 'apply') await deleteVmailAliasDomain(trx, aliasDomain);
        return d;
      });
      if (decision === 'absent') return applied('alias domain was not in vmail');
      if (decision === 'apply') return applied();
      return notNewer(decision);
    },

    async listMailboxes(filter) {
      const rows = await listVmailMailboxes(vmail, filter);
      return rows.map((row) => ({
        address: row.username,
        domain: row.domain,
        active: row.active,
        quotaBytes: row.quotaBytes,
        generation: row.generation,
      }));
    },

    async listLastLogins(filter) {
      const rows = await listVmailLastLogins(vmail, filter);
      return rows.map((row) => ({
        address: row.username,
        lastLoginAt: row.lastLogin,
        lastSentAt: row.lastSent,
        lastReceivedAt: row.lastReceived,
      }));
    },

    async repairMailbox(input) {
      const { localPart, domain } = checkedAddress(input.address);
      const created = await inVmail(async (trx) => {
        const row = await findVmailMailbox(trx, input.address, { forUpdate: true });
        if (row) {
          await forceVmailMailboxState(trx, input.address, input);
          return false;
        }
        await ensureVmailDomain(trx, domain);
        await upsertVmailMailbox(trx, {
          username: input.address,
          domain,
          password: LOCKED_PASSWORD,
          quotaBytes: input.quotaBytes,
          maildir: `${domain}/${localPart}/`,
          generation: input.generation,
        });
        if (!input.active) await forceVmailMailboxState(trx, input.address, input);
        return true;
      });
      if (!input.active) await doveadm.kick(input.address);
      return created ? applied('created without a usable password: reset it') : applied('state forced');
    },

    async getAlias(address): Promise<AliasSnapshot | null> {
      const row = await findVmailAliasEntry(vmail, address);
      return row ? aliasSnapshot(row) : null;
    },

    async listAliases(filter) {
      return (await listVmailAliasEntries(vmail, filter.domain)).map(aliasSnapshot);
    },

    async repairAlias(input) {
      const { domain } = checkedAddress(input.address);
      const targets = [...new Set(input.targets.map((t) => t.toLowerCase()))];
      for (const t of targets) checkedAddress(t);
      if (targets.length === 0) {
        throw new PermanentError(
          `Bí danh ${input.address} không có địa chỉ đích / alias ${input.address} has no target`,
        );
      }
      await inVmail(async (trx) => {
        await findVmailAliasEntry(trx, input.address, { forUpdate: true });
        if (await findVmailMailbox(trx, input.address)) {
          throw new PermanentError(
            `${input.address} là một hộp thư, không thể làm bí danh / ${input.address} is a mailbox and cannot be an alias`,
          );
        }
        await ensureVmailDomain(trx, domain);
        await forceVmailAlias(trx, { address: input.address, domain, targets, generation: input.generation });
      });
      return applied(`forwards to ${targets.join(', ')}`);
    },

    async listRetained() {
      const out: RetainedMailbox[] = [];
      for (const day of await retentionDays()) out.push(...(await retainedOn(day)));
      return out;
    },

    async purgeRetained(input) {
      const purged: RetainedMailbox[] = [];
      const byDomain = input.deletedBeforeByDomain ?? {};
      const cutoffOf = (address: string) => byDomain[address.split('@')[1] ?? ''] ?? input.deletedBefore;
      const latest = [input.deletedBefore, ...Object.values(byDomain)].sort().at(-1) as string;
      for (const day of await retentionDays()) {
        if (day >= latest) break;
        const held = await retainedOn(day);
        const due = held.filter((r) => day < cutoffOf(r.address));
        if (due.length === held.length) {
          // the whole day folder goes: it only ever holds what was deleted that day
          await fs.rm(path.join(options.retentionDir, day), { recursive: true, force: true });
        } else {
          // provinces with a longer period keep theirs in the folder
          for (const r of due) await fs.rm(r.location, { recursive: true, force: true });
        }
        purged.push(...due);
      }
      return purged;
    },

    async getMailbox(address): Promise<MailboxSnapshot | null> {
      const row = await findVmailMailbox(vmail, address);
      return row
        ? {
            address: row.username,
            domain: row.domain,
            active: row.active,
            quotaBytes: row.quotaBytes,
            generation: row.generation,
          }
        : null;
    },

    async ping() {
      await sql`SELECT 1`.execute(vmail);
    },

    async close() {
      await vmail.destroy();
    },
  };
}
