// Provisioner benchmark on the running stack: publishes `count` create commands to
// hopthu.provisioning.commands.v1 (the way the directory does, keyed by mailbox id) and measures
// how fast the running provisioner applies them to the mail server: commands applied per second
// (first publish → last result) and each command's latency (its publish → its result event).
// Called by `./hopthu bench` (scripts/bench.ts) with count 5,000. Mailboxes live on the dedicated
// domain provbench.gov.vn under a per-run prefix and are deleted from vmail afterwards, so the
// bench can be rerun; they never log in or receive mail, so there are no maildirs to remove.
import { randomBytes, randomUUID } from 'node:crypto';
import { localSecret } from '@hopthu/shared/local-env';
import { buildEvent, parseEvent, type ProvisioningCommand, Topics } from '@hopthu/shared/events';
import { createMessageBus, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import bcrypt from 'bcryptjs';
import pg from 'pg';

export const BENCH_DOMAIN = 'provbench.gov.vn';

export interface ProvisionerBenchResult {
  commands: number;
  seconds: number;
  commandsPerSecond: number;
  latencyMs: { p50: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function benchProvisioner(opts: { count: number }): Promise<ProvisionerBenchResult> {
  const count = Math.max(1, Math.floor(opts.count));
  const brokers = parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092');
  const vmailUrl = localSecret('VMAIL_DATABASE_URL');
  const logger = createLogger('provisioner-bench', { level: process.env.BENCH_LOG_LEVEL ?? 'error' });
  const run = `b${randomBytes(4).toString('hex')}`;
  // one hash for all (bcrypt cost 5, as the directory sends): the bench measures the provisioner
  const passwordHash = `{BLF-CRYPT}${await bcrypt.hash(randomBytes(12).toString('base64url'), 5)}`;
  const commands: ProvisioningCommand[] = Array.from({ length: count }, (_, i) => ({
    commandId: randomUUID(),
    mailboxId: randomUUID(),
    generation: 1,
    action: 'create',
    address: `${run}.u${i}@${BENCH_DOMAIN}`,
    domain: BENCH_DOMAIN,
    requestId: null,
    itemId: null,
    passwordHash,
    quotaBytes: 1024 * 1024 * 1024,
  }));
  const ours = new Set(commands.map((c) => c.commandId));
  const ourMailboxes = new Set(commands.map((c) => c.mailboxId));
  const publishedAt = new Map<string, number>();
  const latencies: number[] = [];
  const failures: string[] = [];
  let lastResultAt = 0;
  let resolveAll: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    resolveAll = resolve;
  });

  const bus = createMessageBus({ brokers, clientId: `provisioner-bench-${run}`, logger });
  // a fresh group reading the results topic from its start: nothing of ours can be missed
  const stopConsumer = await bus.runConsumer({
    groupId: `provisioner-bench-${run}`,
    topics: [Topics.provisioningResults],
    fromBeginning: true,
    handle: async (message) => {
      // results are keyed by mailbox id: the topic's history (every earlier run's and test's
      // results) is passed over without parsing, or reading it would be what this bench measures
      if (message.key === null || !ourMailboxes.has(message.key)) return;
      let event: ReturnType<typeof parseEvent>;
      try {
        event = parseEvent(message.value);
      } catch {
        return;
      }
      if (event.type !== 'vn.gov.hopthu.provisioning.result.v1') return;
      const r = event.data;
      if (!ours.has(r.commandId)) return;
      ours.delete(r.commandId);
      const now = performance.now();
      lastResultAt = now;
      latencies.push(now - (publishedAt.get(r.commandId) ?? now));
      if (r.outcome !== 'applied') failures.push(`${r.address}: ${r.outcome} ${r.error ?? ''}`);
      if (ours.size === 0) resolveAll();
    },
  });
  const producer = await bus.createProducer();
  const vmail = new pg.Client({ connectionString: vmailUrl });
  try {
    const started = performance.now();
    const batch = 250;
    for (let i = 0; i < commands.length; i += batch) {
      const slice = commands.slice(i, i + batch);
      const at = performance.now();
      for (const c of slice) publishedAt.set(c.commandId, at);
      await producer.send(
        slice.map((c) => {
          const event = buildEvent('vn.gov.hopthu.provisioning.command.v1', c, {
            source: 'urn:hopthu:provisioner-bench',
            subject: c.mailboxId,
            correlationId: run,
          });
          return {
            topic: Topics.provisioningCommands,
            key: c.mailboxId,
            value: JSON.stringify(event),
            headers: { 'ce-type': event.type, 'ce-id': event.id },
          };
        }),
      );
    }
    const timeoutMs = Math.max(60_000, count * 100);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allDone,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`provisioner bench: ${ours.size} of ${count} results missing after ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (failures.length > 0) {
      throw new Error(`provisioner bench: ${failures.length} commands not applied, e.g. ${failures[0]}`);
    }
    const seconds = (lastResultAt - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      commands: count,
      seconds: round(seconds, 2),
      commandsPerSecond: round(count / seconds),
      latencyMs: { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) },
    };
  } finally {
    // leave nothing behind: this run's mailboxes (and any a failed run got in) are removed
    await vmail.connect();
    await vmail
      .query("DELETE FROM mailbox WHERE domain = $1 AND username LIKE $2 || '.%'", [BENCH_DOMAIN, run])
      .finally(() => vmail.end());
    await producer.disconnect().catch(() => {});
    await stopConsumer().catch(() => {});
  }
}
