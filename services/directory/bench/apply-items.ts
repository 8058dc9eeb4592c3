// In-process benchmark of the directory's requests consumer applying approved personal creates:
// no Kafka, no running stack, a scratch database of its own (createScratchDatabase). A burst of
// `count` persons in 500-item requests (request.submitted, then its item.approved events, in order
// as on one partition), Vietnamese names drawn with namesakes (a few family, middle and given
// names, so many share a stem within an agency), 70% with a person key, in Bắc Ninh (numbered
// namesakes, applied as they come) and Kiên Giang (namesakes served by rank: staged, then applied
// per event when the request's items are all seen). The events go in batches of 100 as the inbox
// takes them, through `handleMany` and through per-event `handle` (what the consumer did before),
// each on its own scratch database in the same run, and the two are checked to give every item the
// same address. Prints items/s of each and the ratio.
//   node services/directory/bench/apply-items.ts [count=5000] [kien-giang share=0.2]
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { newId } from '@hopthu/shared/clock';
import type { AnyEnvelope, EventPerson } from '@hopthu/shared/events';
import { createLogger } from '@hopthu/shared/logger';
import { createScratchDatabase } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import { requestsHandlers } from '../src/consumers/requests-consumer.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';
import type { DirectoryDeps } from '../src/domain/deps.ts';
import { registerAgency } from '../src/domain/agencies/register-agency.ts';
import { seedReservedAddresses } from '../src/domain/directory/seed-reserved-addresses.ts';
import { seedProvinceDomains } from '../src/domain/domains/seed-province-domains.ts';
import { counterIds, type DeliveryMode, deliverBatch, requestEvents } from '../test/deliver-batch.ts';

const migrationsPath = path.join(import.meta.dirname, '..', 'migrations');

const FAMILY = [
  'Nguyễn',
  'Nguyễn',
  'Nguyễn',
  'Trần',
  'Trần',
  'Lê',
  'Lê',
  'Phạm',
  'Hoàng',
  'Vũ',
  'Đặng',
  'Bùi',
];
const MIDDLE = ['Văn', 'Văn', 'Thị', 'Thị', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Đức', 'Thu'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Hà',
  'Hải',
  'Hạnh',
  'Hoa',
  'Hùng',
  'Hương',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phong',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Thắng',
  'Trang',
  'Tuấn',
  'Yến',
];
const POSITIONS = ['Chuyên viên', 'Chuyên viên', 'Chuyên viên', 'Cán sự', 'Phó Trưởng phòng', 'Trưởng phòng'];
const DEPARTMENTS = ['Văn phòng', 'Phòng Tổ chức', 'Phòng Kế hoạch', 'Thanh tra', 'Phòng Chuyên môn'];

/** A deterministic pseudo-random sequence (the same burst for both modes and every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function burstPerson(rnd: () => number, i: number, withKey: boolean): EventPerson {
  const pick = (list: readonly string[]) => list[Math.floor(rnd() * list.length)] as string;
  return {
    familyName: pick(FAMILY),
    middleName: pick(MIDDLE),
    givenName: pick(GIVEN),
    position: pick(POSITIONS),
    department: pick(DEPARTMENTS),
    ...(withKey
      ? { personKey: createHash('sha256').update(`bench-person-${i}`).digest('hex').slice(0, 32) }
      : {}),
  };
}

interface Setup {
  deps: DirectoryDeps;
  drop(): Promise<void>;
  agencies: { province: string; id: string }[];
}

async function setUp(agencyCount: number, kgShare: number): Promise<Setup> {
  const logger = createLogger('directory-bench', { level: process.env.BENCH_LOG_LEVEL ?? 'error' });
  const scratch = await createScratchDatabase<DirectoryDatabase>({
    service: 'directory',
    migrationsPath,
    max: 2,
  });
  const clock = { now: () => new Date() };
  const setupDeps: DirectoryDeps = {
    db: scratch.db,
    logger,
    clock,
    newId: counterIds(1),
    retiredHoldDays: 365,
    renameAliasDays: 90,
  };
  await seedReservedAddresses(scratch.db);
  await seedProvinceDomains(setupDeps);
  const agencies: Setup['agencies'] = [];
  const kg = Math.round(agencyCount * kgShare);
  for (let a = 0; a < agencyCount; a++) {
    const province = a < kg ? 'kien-giang' : 'bac-ninh';
    const registered = await registerAgency(setupDeps, {
      province,
      name: `Sở Đo đạc số ${a + 1}`,
      abbreviation: `sdd${String.fromCharCode(97 + (a % 26))}${String.fromCharCode(97 + Math.floor(a / 26))}`,
      unitType: 'agency',
      actor: 'operator:bench',
    });
    agencies.push({ province, id: registered.agencyId });
  }
  return { deps: { ...setupDeps, newId }, drop: () => scratch.drop(), agencies };
}

export interface DirectoryItemsBench {
  items: number;
  requests: number;
  kienGiangShare: number;
  each: { seconds: number; itemsPerSecond: number };
  many: { seconds: number; itemsPerSecond: number };
  ratio: number;
  sameAddresses: boolean;
  loadAverage: number[];
}

export async function runMode(mode: DeliveryMode, count: number, kgShare: number) {
  const perRequest = 500;
  const requests = Math.ceil(count / perRequest);
  const setup = await setUp(requests, kgShare);
  const rnd = random(15);
  const events: AnyEnvelope[] = [];
  for (let r = 0; r < requests; r++) {
    const n = Math.min(perRequest, count - r * perRequest);
    const persons = Array.from({ length: n }, (_, k) => burstPerson(rnd, r * perRequest + k, rnd() < 0.7));
    const agency = setup.agencies[r] as Setup['agencies'][number];
    events.push(...requestEvents(agency.id, agency.province, persons));
  }
  const logger = setup.deps.logger;
  const handlers = requestsHandlers(setup.deps);
  try {
    const started = performance.now();
    for (let i = 0; i < events.length; i += 100) {
      await deliverBatch(setup.deps.db, handlers, events.slice(i, i + 100), mode, logger);
    }
    const seconds = (performance.now() - started) / 1000;
    // what each item came to, by its place in the burst: the address, or why not
    const { rows } = await sql<{ n: string; address: string }>`
      SELECT h.details->>'address' AS address, h.item_id AS n FROM mailbox_history h
      WHERE h.change = 'created' AND h.item_id IS NOT NULL`.execute(setup.deps.db);
    return { seconds, created: rows.length, addresses: rows.map((r) => r.address).sort() };
  } finally {
    await setup.drop();
  }
}

export async function benchDirectoryItems(opts: {
  count: number;
  kienGiangShare?: number;
}): Promise<DirectoryItemsBench> {
  const count = Math.max(1, Math.floor(opts.count));
  const kgShare = opts.kienGiangShare ?? 0.2;
  const each = await runMode('each', count, kgShare);
  const many = await runMode('many', count, kgShare);
  const same =
    each.addresses.length === many.addresses.length &&
    each.addresses.every((a, i) => a === many.addresses[i]);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    items: count,
    requests: Math.ceil(count / 500),
    kienGiangShare: kgShare,
    each: { seconds: round(each.seconds), itemsPerSecond: round(count / each.seconds) },
    many: { seconds: round(many.seconds), itemsPerSecond: round(count / many.seconds) },
    ratio: round(each.seconds / many.seconds),
    sameAddresses: same,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 5000);
  const share = Number(process.argv[3] ?? 0.2);
  console.log(
    `directory bench: ${count} approved creates, ${share * 100}% in Kiên Giang; load ${os.loadavg().join(' ')}`,
  );
  const result = await benchDirectoryItems({ count, kienGiangShare: share });
  console.log(JSON.stringify(result, null, 2));
}
