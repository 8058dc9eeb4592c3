// The requests service in process under a bulk burst (issue 15): buildApp(deps) on a scratch
// database, a Bắc Ninh agency brought to the replica through the directory consumer's handler and
// a real API client token, then K 500-item create requests sent at once (Fastify's inject, no
// port) for K = 1, 10, 40, as the bench's 20,000-person burst sends 40. It prints each round's
// POST latency (p50, max), the CPU the round cost per POST (until the last 202), when the last
// request's items were written (a bulk request is answered once stored, its items written just
// after) and the CPU per request until then, and the process's peak resident memory
// (VmHWM, reset before each round through /proc/self/clear_refs) with the V8 heap's highest; then
// the results consumer's items per second: one provisioning result per item of the 40 requests,
// shuffled across requests, fed through the consumer's own handlers in batches of 100 in one
// transaction each, as the inbox does (its handleMany when the consumer has one), and as many
// directory mailbox states (up to 5,000) through the directory consumer's handler, the replica.
//
//   node --max-semi-space-size=4 --max-old-space-size=160 services/requests/bench/bulk-post.ts [K…]
//
// (BENCH_RESULTS=0 skips the results part, BENCH_ITEMS sets the items per request, BENCH_CPU_PROFILE=file
// writes a CPU profile of the POST rounds) with MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 as the
// services run (scripts/commands.sh). Needs the local PostgreSQL only (not the running services).
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { systemClock } from '@hopthu/shared/clock';
import { type AnyEnvelope, buildEvent, Topics } from '@hopthu/shared/events';
import type { EventHandler, HandlerContext, InboxConsumerOptions } from '@hopthu/shared/inbox';
import { createLogger } from '@hopthu/shared/logger';
import { sql } from 'kysely';
import { directoryHandler, resultsConsumerHandlers } from '../src/consumers/requests-consumers.ts';
import type { Database } from '../src/db/schema.ts';
import {
  agencyAccessToken,
  createResult,
  replicaAgency as putAgencyInReplica,
  startRequestsInProcess,
} from '../test/in-process.ts';

let replicaAgency = '';
const rounds = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const K = rounds.length > 0 ? rounds : [1, 10, 40];
const ITEMS = Number(process.env.BENCH_ITEMS ?? 500);
const logger = createLogger('requests-bench', { level: process.env.BENCH_LOG_LEVEL ?? 'error' });
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const MiB = (bytes: number) => round(bytes / 2 ** 20);
const statusKiB = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

// the service's pool: 10 connections
const service = await startRequestsInProcess({ clock: systemClock, logger, max: 10 });
const { scratch, config, app } = service;
try {
  const token = await agencyToken();
  replicaAgency = token.agencyId;
  const requestIds: string[] = [];
  let letters = 0;
  const profiler = await startProfile();
  for (const k of K) {
    global.gc?.();
    const before = process.memoryUsage();
    writeFileSync('/proc/self/clear_refs', '5'); // VmHWM := VmRSS
    let heapMax = 0;
    let externalMax = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      heapMax = Math.max(heapMax, m.heapUsed);
      externalMax = Math.max(externalMax, m.external + m.arrayBuffers);
    }, 20);
    const bodies = Array.from({ length: k }, (_, r) => burstBody(token.agencyId, ITEMS, letters + r * ITEMS));
    letters += k * ITEMS;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const latencies = await Promise.all(
      bodies.map(async (body) => {
        const t0 = performance.now();
        const res = await app.inject({
          method: 'POST',
          url: '/v1/requests',
          headers: { authorization: `Bearer ${token.accessToken}`, 'idempotency-key': randomUUID() },
          payload: body,
        });
        if (res.statusCode !== 202)
          throw new Error(`POST answered ${res.statusCode}: ${res.body.slice(0, 500)}`);
        requestIds.push(res.json().id as string);
        return performance.now() - t0;
      }),
    );
    const wall = performance.now() - started;
    const used = process.cpuUsage(cpu);
    // a bulk request is answered once stored and its items written just after: until all are
    await allItemsWritten();
    const writtenMs = performance.now() - started;
    const usedWithItems = process.cpuUsage(cpu);
    clearInterval(sampler);
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        round: `${k} × ${ITEMS}-item POST at once`,
        postMs: { p50: round(percentile(latencies, 50)), max: round(latencies.at(-1) ?? 0) },
        wallMs: round(wall),
        cpuMsPerPost: round((used.user + used.system) / 1000 / k),
        allItemsWrittenMs: round(writtenMs),
        cpuMsPerRequestWithItems: round((usedWithItems.user + usedWithItems.system) / 1000 / k),
        rssMiB: { before: MiB(before.rss), peak: round(statusKiB('VmHWM') / 1024) },
        heapUsedMiB: { before: MiB(before.heapUsed), max: MiB(heapMax) },
        externalMiB: MiB(externalMax),
      }),
    );
  }
  await profiler?.stop();
  if (process.env.BENCH_RESULTS !== '0') {
    await benchResults(requestIds);
    await benchReplica(Math.min(requestIds.length * ITEMS, 5000));
  }
} finally {
  await service.close();
}

/** Resolves once no request waits for its items to be written (request_expansions empty). */
async function allItemsWritten() {
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM request_expansions`.execute(scratch.db);
    if (rows[0]!.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * BENCH_CPU_PROFILE=file: a CPU profile of the POST rounds only (not the start, the migrations or
 * the results part), written as a .cpuprofile for Chrome's DevTools or scripts' own reading.
 */
async function startProfile() {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** A Bắc Ninh agency in the replica (as the directory's events bring it) and a token of its API client. */
async function agencyToken(): Promise<{ agencyId: string; accessToken: string }> {
  const agencyId = `bench-${randomUUID()}`;
  await putAgencyInReplica(service, {
    agencyId,
    domain: 'bench.bacninh.gov.vn',
    name: 'Sở Đo tải',
    abbreviation: 'sdt',
    officialMailbox: 'vp@bench.bacninh.gov.vn',
  });
  return { agencyId, accessToken: await agencyAccessToken(service, agencyId, 'Hệ thống đo tải') };
}

/** What scripts/bench.ts sends: `n` personal creates, each a different person (given names from `first`). */
function burstBody(agencyId: string, n: number, first: number) {
  return {
    agencyId,
    requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
    reference: { number: `${first}/BURST-BENCH`, date: new Date().toISOString().slice(0, 10) },
    items: Array.from({ length: n }, (_, k) => ({
      operation: 'create',
      mailboxType: 'personal',
      person: {
        familyName: 'Phạm',
        middleName: 'Văn',
        givenName: `Bình${(first + k).toString(36)}`,
        position: 'Chuyên viên',
      },
    })),
  };
}

/**
 * One provisioning result per item of the requests, shuffled, through the results consumer's
 * handlers in batches of 100, each batch in one transaction with its inbox rows (as the inbox does).
 */
async function benchResults(requests: string[]) {
  const items = await scratch.db
    .selectFrom('request_items')
    .select(['id', 'request_id'])
    .where('request_id', 'in', requests)
    .execute();
  const events: AnyEnvelope[] = items.map((item, i) =>
    createResult({
      requestId: item.request_id,
      itemId: item.id,
      address: `u${i}@bench.bacninh.gov.vn`,
      ...(i % 50 === 0
        ? { outcome: 'failed' as const, error: 'bench: refused by the mail server' }
        : { outcome: 'applied' as const }),
    }),
  );
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  const handlers = resultsConsumerHandlers({ clock: systemClock, publicUrl: config.PUBLIC_URL });
  const fed = await feedInBatches('requests-results', Topics.provisioningResults, events, handlers);
  const { rows } = await sql<{ status: string; n: number }>`
    SELECT status, count(*)::int AS n FROM requests WHERE id = ANY(${requests}::uuid[]) GROUP BY status`.execute(
    scratch.db,
  );
  const finished = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM outbox WHERE payload->>'type' = 'vn.gov.hopthu.request.finished.v1'`.execute(
    scratch.db,
  );
  console.log(
    JSON.stringify({
      round: `${events.length} results in batches of 100`,
      ...fed,
      requests: Object.fromEntries(rows.map((r) => [r.status, r.n])),
      finishedEvents: finished.rows[0]?.n,
    }),
  );
}

/**
 * The events through a consumer's handlers in batches of 100, each batch in one transaction with
 * its inbox rows (as the inbox consumer runs them: handleMany when it has one); items/s and CPU.
 */
async function feedInBatches(
  consumer: string,
  topic: string,
  events: AnyEnvelope[],
  handlers: { handle: EventHandler<Database>; handleMany?: InboxConsumerOptions<Database>['handleMany'] },
) {
  const batchMs: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let start = 0; start < events.length; start += 100) {
    const batch = events.slice(start, start + 100);
    const t0 = performance.now();
    await scratch.db.transaction().execute(async (trx) => {
      await sql`
        INSERT INTO inbox (consumer, event_id, topic, event_type)
        SELECT ${consumer}, e.id, ${topic}, e.type
        FROM unnest(${batch.map((e) => e.id)}::text[], ${batch.map((e) => e.type)}::text[]) AS e(id, type)`.execute(
        trx,
      );
      const withCtx = batch.map((event, k) => ({ event, ctx: contextOf(topic, event, start + k) }));
      if (handlers.handleMany) await handlers.handleMany(withCtx, trx);
      else for (const { event, ctx } of withCtx) await handlers.handle(event, trx, ctx);
    });
    batchMs.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  batchMs.sort((a, b) => a - b);
  return {
    itemsPerSecond: round(events.length / seconds),
    cpuMsPerItem: round((used.user + used.system) / 1000 / events.length, 2),
    batchMs: { p50: round(percentile(batchMs, 50)), max: round(batchMs.at(-1) ?? 0) },
  };
}

/** The directory's state of each created mailbox, as hopthu.directory.v1 brings them to the replica. */
async function benchReplica(count: number) {
  const events = Array.from({ length: count }, (_, i) => {
    const mailboxId = randomUUID();
    return buildEvent(
      'vn.gov.hopthu.directory.mailbox.v1',
      {
        mailboxId,
        address: `replica${i}@bench.bacninh.gov.vn`,
        domain: 'bench.bacninh.gov.vn',
        type: 'personal',
        state: 'active',
        agencyId: replicaAgency,
        displayName: `Phạm Văn Bình ${i}`,
        aliases: [],
        quotaBytes: 1_073_741_824,
        generation: 1,
      },
      { source: 'hopthu/directory', subject: mailboxId },
    ) as AnyEnvelope;
  });
  const handlers = { handle: directoryHandler({ clock: systemClock, submit: service.submitDeps }) };
  const fed = await feedInBatches('requests-directory', Topics.directory, events, handlers);
  console.log(JSON.stringify({ round: `${count} mailbox states in batches of 100`, ...fed }));
}

function contextOf(topic: string, event: AnyEnvelope, offset: number): HandlerContext {
  const message = {
    topic,
    partition: 0,
    offset: String(offset),
    key: event.subject ?? null,
    value: null,
    headers: {},
  };
  return { logger, message, attempt: 1 };
}
