// Fault tests on the real stack: the provisioner killed between its mail-server write and its
// offset commit, PostgreSQL stopped and Dovecot stopped under a stream of commands. Afterwards
// every command has exactly one result and its change is on the mail server: nothing twice,
// nothing lost. The outages are short (other work shares this stack) and always undone in finally.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { serviceDatabaseUrl, waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Bus,
  buildCommand,
  canLogin,
  commandEvent,
  connectBus,
  ensureProvisioner,
  hashPassword,
  newPassword,
  type ProvisionerProcess,
  queryVmail,
  repoRoot,
  uniqueAddress,
} from './helpers.ts';

const run = promisify(execFile);
const hopthu = (...args: string[]) =>
  run(path.join(repoRoot, 'hopthu'), args, { cwd: repoRoot, timeout: 90_000 }).catch((err) => {
    throw new Error(`./hopthu ${args.join(' ')} failed: ${(err as { stderr?: string }).stderr ?? err}`);
  });
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let provisioner: ProvisionerProcess;
let bus: Bus;
let hash: string;
let password: string;

beforeAll(async () => {
  provisioner = await ensureProvisioner();
  bus = await connectBus();
  password = newPassword();
  hash = await hashPassword(password);
});

afterAll(async () => {
  // whatever happened, leave every part running
  await hopthu('start', 'postgresql').catch(() => {});
  await hopthu('start', 'dovecot').catch(() => {});
  await hopthu('start', 'provisioner').catch(() => {});
  await bus?.close();
  await provisioner?.stop();
});

/** Waits for every mailbox's results, then checks there is exactly the expected number of each. */
async function expectExactlyOnce(commands: ProvisioningCommand[], timeoutMs = 90_000) {
  const perMailbox = new Map<string, ProvisioningCommand[]>();
  for (const c of commands) perMailbox.set(c.mailboxId, [...(perMailbox.get(c.mailboxId) ?? []), c]);
  await waitFor(async () => [...perMailbox].every(([id, cs]) => bus.results(id).length >= cs.length), {
    timeoutMs,
    what: `results for ${commands.length} commands`,
  });
  for (const [id, cs] of perMailbox) {
    const results = bus.results(id);
    expect(results.map((r) => r.commandId)).toEqual(cs.map((c) => c.commandId));
    for (const r of results) expect(r.outcome).toBe('applied');
  }
}

describe('provisioner faults', () => {
  it('when the provisioner is killed after the vmail write and before the commit, then after a restart there is one mailbox and one result', async () => {
    const address = uniqueAddress('killed');
    const create = buildCommand({ address, passwordHash: hash, quotaBytes: 1024 * 1024 });
    const logDir = path.join(repoRoot, 'var', 'log');
    await mkdir(logDir, { recursive: true });
    const log = openSync(path.join(logDir, 'provisioner-fault-test.log'), 'a');

    await hopthu('stop', 'provisioner');
    try {
      // the only member of the consumer group now: it takes the command, writes vmail, dies
      const child = spawn(
        process.execPath,
        [path.join(repoRoot, 'services/provisioner/test/fault-provisioner.ts')],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: serviceDatabaseUrl('provisioner'),
            PORT: '3013',
            FAULT_ADDRESS: address,
            LOG_LEVEL: 'info',
          },
          stdio: ['ignore', log, log],
        },
      );
      const exited = once(child, 'exit');
      await waitFor(
        async () => {
          if (child.exitCode !== null || child.signalCode !== null)
            throw new Error('fault instance exited early');
          const res = await fetch('http://127.0.0.1:3013/readyz').catch(() => null);
          return res?.ok ?? false;
        },
        { timeoutMs: 60_000, what: 'the fault-injecting provisioner on :3013' },
      );
      await bus.publish(commandEvent(create));
      const [code, signal] = (await Promise.race([
        exited,
        delay(60_000).then(() => {
          child.kill('SIGKILL');
          throw new Error('the fault instance did not kill itself');
        }),
      ])) as [number | null, string | null];
      expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });

      // the change is in vmail, nothing was recorded or answered
      const rows = await queryVmail<{ generation: string | number }>(
        'SELECT generation FROM mailbox WHERE username = $1',
        [address],
      );
      expect(rows.map((r) => Number(r.generation))).toEqual([1]);
      expect(bus.results(create.mailboxId)).toEqual([]);
    } finally {
      await hopthu('start', 'provisioner');
    }

    // the redelivered command finds its change already there: one result, applied, once
    await expectExactlyOnce([create]);
    expect(await queryVmail('SELECT 1 FROM mailbox WHERE username = $1', [address])).toHaveLength(1);
    expect(await canLogin(address, password)).toBe(true);
  });

  it('when PostgreSQL stops for a few seconds under a stream of commands, then every command completes once', async () => {
    const commands = Array.from({ length: 24 }, (_, i) =>
      buildCommand({ address: uniqueAddress(`pg${i}`), passwordHash: hash, quotaBytes: 1024 * 1024 }),
    );
    let stopped = false;
    try {
      for (const [i, c] of commands.entries()) {
        if (i === 8) {
          await hopthu('stop', 'postgresql');
          stopped = true;
        }
        await bus.publish(commandEvent(c));
        await delay(i >= 8 && i < 16 ? 800 : 100); // ~6 s of outage while commands keep coming
        if (i === 15) {
          await hopthu('start', 'postgresql');
          stopped = false;
        }
      }
    } finally {
      if (stopped) await hopthu('start', 'postgresql');
    }
    await expectExactlyOnce(commands);
    const rows = await queryVmail<{ username: string }>(
      'SELECT username FROM mailbox WHERE username = ANY($1)',
      [commands.map((c) => c.address)],
    );
    expect(rows).toHaveLength(commands.length);
  });

  it('when Dovecot stops for a few seconds under a stream of suspends, then every suspend completes once and ends in vmail', async () => {
    const creates = Array.from({ length: 12 }, (_, i) =>
      buildCommand({ address: uniqueAddress(`dv${i}`), passwordHash: hash, quotaBytes: 1024 * 1024 }),
    );
    for (const c of creates) await bus.publish(commandEvent(c));
    await expectExactlyOnce(creates);

    const suspends = creates.map((c) =>
      buildCommand({ address: c.address, mailboxId: c.mailboxId, action: 'suspend', generation: 2 }),
    );
    let stopped = false;
    try {
      for (const [i, c] of suspends.entries()) {
        if (i === 3) {
          await hopthu('stop', 'dovecot');
          stopped = true;
        }
        await bus.publish(commandEvent(c));
        await delay(i >= 3 && i < 9 ? 900 : 100); // ~5 s without doveadm: the kicks wait
        if (i === 8) {
          await hopthu('start', 'dovecot');
          stopped = false;
        }
      }
    } finally {
      if (stopped) await hopthu('start', 'dovecot');
    }
    await expectExactlyOnce([...creates, ...suspends]);
    const rows = await queryVmail<{ active: boolean; generation: string | number }>(
      'SELECT active, generation FROM mailbox WHERE username = ANY($1)',
      [creates.map((c) => c.address)],
    );
    expect(rows).toHaveLength(creates.length);
    for (const r of rows)
      expect({ active: r.active, generation: Number(r.generation) }).toEqual({
        active: false,
        generation: 2,
      });
  });
});
