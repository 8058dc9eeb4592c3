// The maildirs on disk: moved on a rename, moved into retention on a delete (Dovecot never deletes
// mail files itself), listed and purged when their province's period ends. Each step is
// idempotent, so a retried command finishes what a crash cut short.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Clock } from '@hopthu/shared/clock';
import { PermanentError } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import { retentionPathFor } from '../../domain/commands/mail-address.ts';
import type { MailServerAdapter, RetainedMailbox } from '../../domain/mail-server-adapter.ts';
import { isRetentionDay, parseRetainedName } from '../../domain/retention/retention-dates.ts';

export interface MaildirStoreOptions {
  /** Root of the maildirs, e.g. /var/vmail. */
  vmailRoot: string;
  /** Where deleted maildirs are moved, e.g. /var/vmail/.retention. */
  retentionDir: string;
  clock: Clock;
  logger: Logger;
}

export interface MaildirStore extends Pick<MailServerAdapter, 'listRetained' | 'purgeRetained'> {
  /** Moves a maildir into retention; a missing maildir or an unwritable retention area is only noted. */
  retain(maildir: string, address: string, generation: number): Promise<string>;
  /**
   * Moves the newest retained maildir of `address` deleted under a generation before
   * `beforeGeneration` back to `toRel` (a deleted mailbox given back); a retry after the move finds
   * it done. PermanentError when both the retained copy and the target exist.
   */
  bringBack(address: string, beforeGeneration: number, toRel: string): Promise<string>;
  /** Renames a maildir; a retry after the move finds it done. */
  move(fromRel: string, toRel: string): Promise<string>;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

export function createMaildirStore(options: MaildirStoreOptions): MaildirStore {
  const { logger } = options;

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

  return {
    async retain(maildir, address, generation) {
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
    },

    async bringBack(address, beforeGeneration, toRel) {
      const to = path.join(options.vmailRoot, toRel);
      const held: RetainedMailbox[] = [];
      for (const day of await retentionDays())
        held.push(...(await retainedOn(day)).filter((r) => r.address === address));
      // day folders come oldest first; within a day the generation decides
      const newest = held
        .filter((r) => r.generation < beforeGeneration)
        .sort((a, b) => a.deletedOn.localeCompare(b.deletedOn) || a.generation - b.generation)
        .at(-1);
      if (!newest)
        return (await exists(to)) ? 'maildir already in place' : 'no retained mail: an empty mailbox';
      if (await exists(to)) {
        throw new PermanentError(
          `Thư mục thư ${toRel} đã có, không đưa thư lưu trữ về được / the maildir ${toRel} already exists; the retained mail was not moved back`,
        );
      }
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.rename(newest.location, to);
      return `maildir moved back from ${newest.location}`;
    },

    async move(fromRel, toRel) {
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
  };
}
