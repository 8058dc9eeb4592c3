// Seeds a pre-merger province (Bắc Giang, its policy in scripts/demo/provinces/bac-giang.json)
// through the normal path: agencies through the directory's admin API, personal mailboxes as
// approved request items on Kafka (the directory names them by Bắc Giang's rule, the provisioner
// creates them on the mail server). Used by `./hopthu demo reorganisation` and the bench.
import { randomUUID } from 'node:crypto';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { createMessageBus, parseBrokers } from '@hopthu/shared/kafka';
import { createLogger } from '@hopthu/shared/logger';
import { createSqlPool, serviceDatabaseUrl } from '@hopthu/shared/testing';
import type { AdminApi } from './lib/admin-api.ts';

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
];
const MIDDLE = [
  'Văn',
  'Thị',
  'Hữu',
  'Đức',
  'Minh',
  'Thanh',
  'Quang',
  'Ngọc',
  'Thu',
  'Xuân',
  'Hồng',
  'Kim',
  'Gia',
  'Bảo',
];
const GIVEN = [
  'Anh',
  'Bình',
  'Cường',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Minh',
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
  'Trung',
  'Tuấn',
  'Vy',
  'Yến',
];
const POSITIONS = ['Chuyên viên', 'Chuyên viên chính', 'Phó Trưởng phòng', 'Trưởng phòng', 'Văn thư'];

export interface SeedPlanUnit {
  name: string;
  abbreviation: string;
  unitType: 'agency' | 'district' | 'commune' | 'subunit';
  parent?: string;
}

/** The demo's Bắc Giang: five departments and two districts, each with communes and a Phòng Nội vụ. */
export function bacGiangUnits(
  options: { tag?: string; extraDepartments?: number; districts?: number; communesPerDistrict?: number } = {},
): SeedPlanUnit[] {
  const t = options.tag ?? '';
  const units: SeedPlanUnit[] = [
    { name: 'Sở Thông tin và Truyền thông', abbreviation: `stttt${t}`, unitType: 'agency' },
    { name: 'Sở Nội vụ', abbreviation: `snv${t}`, unitType: 'agency' },
    { name: 'Sở Công Thương', abbreviation: `sct${t}`, unitType: 'agency' },
    { name: 'Sở Giao thông vận tải', abbreviation: `sgtvt${t}`, unitType: 'agency' },
    { name: 'Sở Y tế', abbreviation: `syt${t}`, unitType: 'agency' },
  ];
  for (let i = 1; i <= (options.extraDepartments ?? 0); i++) {
    units.push({ name: `Ban Quản lý dự án số ${i}`, abbreviation: `bqlda${i}${t}`, unitType: 'agency' });
  }
  const districts = [
    {
      name: 'Huyện Yên Dũng',
      abbreviation: `yd${t}`,
      communes: ['Xã Tân An', 'Xã Tiền Phong', 'Xã Đồng Việt', 'Xã Lãng Sơn', 'Xã Trí Yên'],
    },
    {
      name: 'Huyện Lạng Giang',
      abbreviation: `lg${t}`,
      communes: ['Xã Tân Dĩnh', 'Xã Nghĩa Hòa', 'Xã Xương Lâm', 'Xã Hương Sơn', 'Xã Mỹ Thái'],
    },
  ];
  const extraDistricts = Math.max(0, (options.districts ?? 2) - 2);
  for (let i = 1; i <= extraDistricts; i++) {
    districts.push({
      name: `Huyện Thử Nghiệm ${i}`,
      abbreviation: `htn${i}${t}`,
      communes: ['Xã Đông', 'Xã Tây', 'Xã Nam', 'Xã Bắc', 'Xã Trung'],
    });
  }
  for (const d of districts.slice(0, options.districts ?? 2)) {
    // a tag keeps test data apart: districts and communes are named by their folded full name
    const district = t ? `${d.name} ${t.toUpperCase()}` : d.name;
    units.push({ name: district, abbreviation: d.abbreviation, unitType: 'district' });
    units.push({
      name: `Phòng Nội vụ ${d.name.replace('Huyện ', 'huyện ')}`,
      abbreviation: `pnv-${d.abbreviation}`,
      unitType: 'subunit',
      parent: d.abbreviation,
    });
    d.communes.slice(0, options.communesPerDistrict ?? 3).forEach((c, i) => {
      const name = t ? `${c} ${t.toUpperCase()}` : c;
      units.push({
        name,
        abbreviation: `x${i + 1}-${d.abbreviation}`,
        unitType: 'commune',
        parent: d.abbreviation,
      });
    });
  }
  return units;
}

async function admin(api: AdminApi, method: string, path: string, body?: unknown) {
  const res = await fetch(`${api.directoryUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.adminToken}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export interface SeededProvince {
  agencies: Map<string, { agencyId: string; officialMailbox: string }>;
  people: number;
}

/**
 * Registers the units (idempotent by abbreviation) and publishes `people` personal creates spread
 * over them, then waits until the mail server has them all. The passwordHash is every holder's.
 */
export async function seedProvince(
  api: AdminApi,
  options: {
    province: string;
    units: SeedPlanUnit[];
    people: number;
    passwordHash: string;
    log?: (line: string) => void;
    timeoutMs?: number;
  },
): Promise<SeededProvince> {
  const log = options.log ?? (() => {});
  const agencies = new Map<string, { agencyId: string; officialMailbox: string }>();
  for (const u of options.units) {
    const parentId = u.parent ? agencies.get(u.parent)?.agencyId : undefined;
    const res = await admin(api, 'POST', '/admin/agencies', {
      province: options.province,
      name: u.name,
      abbreviation: u.abbreviation,
      unitType: u.unitType,
      ...(parentId ? { parentId } : {}),
      officialMailboxPasswordHash: options.passwordHash,
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`registering ${u.abbreviation}: ${res.status} ${JSON.stringify(res.body)}`);
    agencies.set(u.abbreviation, {
      agencyId: String(res.body.agencyId),
      officialMailbox: String(res.body.officialMailbox),
    });
  }
  log(`  ${agencies.size} đơn vị / units registered`);
  const targets = options.units.filter((u) => u.unitType !== 'district');
  const bus = createMessageBus({
    brokers: parseBrokers(process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'),
    clientId: 'reorganise-seed',
    logger: createLogger('reorganise-seed', { level: 'error' }),
  });
  const producer = await bus.createProducer();
  try {
    const batch = [];
    for (let i = 0; i < options.people; i++) {
      const unit = targets[i % targets.length] as SeedPlanUnit;
      const agencyId = (agencies.get(unit.abbreviation) as { agencyId: string }).agencyId;
      const requestId = randomUUID();
      const event = buildEvent(
        'vn.gov.hopthu.request.item.approved.v1',
        {
          requestId,
          itemId: randomUUID(),
          agencyId,
          province: options.province,
          operation: 'create',
          mailboxType: 'personal',
          person: {
            familyName: FAMILY[i % FAMILY.length] as string,
            middleName: MIDDLE[Math.floor(i / FAMILY.length) % MIDDLE.length] as string,
            givenName: GIVEN[Math.floor(i / (FAMILY.length * 3)) % GIVEN.length] as string,
            position: POSITIONS[i % POSITIONS.length] as string,
            personKey: `seed-${options.province}-${unit.abbreviation}-${i}`,
          },
          passwordHash: options.passwordHash,
          approvedBy: 'reorganise-seed',
        },
        { source: 'urn:hopthu:reorganise-seed', subject: requestId, correlationId: requestId },
      );
      batch.push({ topic: Topics.requests, key: requestId, value: JSON.stringify(event) });
      if (batch.length === 500 || i === options.people - 1) await producer.send(batch.splice(0));
    }
  } finally {
    await producer.disconnect();
  }
  const ids = [...agencies.values()].map((a) => a.agencyId);
  const pool = createSqlPool(serviceDatabaseUrl('directory'));
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  try {
    let last = -1;
    for (;;) {
      const { rows } = await pool.query<{ active: string }>(
        `SELECT count(*) FILTER (WHERE state = 'active') AS active
           FROM mailboxes WHERE agency_id = ANY($1::uuid[]) AND type = 'personal'`,
        [ids],
      );
      const active = Number(rows[0]?.active ?? 0);
      if (active !== last) log(`  hộp thư đang hoạt động / active mailboxes: ${active}/${options.people}`);
      last = active;
      if (active >= options.people) break;
      if (Date.now() > deadline)
        throw new Error(`only ${active} of ${options.people} mailboxes became active`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await pool.end();
  }
  return { agencies, people: options.people };
}

/** The Bắc Giang → Bắc Ninh plan of the demo (docs/reorganisation.md shows the same). */
export function bacGiangMergerPlan(options: { tag?: string; title?: string } = {}) {
  const t = options.tag ?? '';
  return {
    title: options.title ?? 'Sáp nhập tỉnh Bắc Giang vào tỉnh Bắc Ninh',
    basis: 'Nghị quyết 202/2025/QH15; Nghị quyết 1658/NQ-UBTVQH15',
    effectiveFrom: '2025-07-01',
    operations: [
      { op: 'merge_province', from: 'bac-giang', into: 'bac-ninh' },
      { op: 'merge_agency', agency: `bac-giang/stttt${t}`, into: 'bac-ninh/stttt', agencyMailbox: 'alias' },
      { op: 'merge_agency', agency: `bac-giang/snv${t}`, into: 'bac-ninh/snv', agencyMailbox: 'alias' },
      {
        op: 'dissolve_district',
        district: `bac-giang/yd${t}`,
        districtMailbox: { action: 'retire' },
        units: [
          { unit: `bac-giang/pnv-yd${t}`, action: 'merge', into: 'bac-ninh/snv', agencyMailbox: 'retire' },
        ],
      },
      {
        op: 'dissolve_district',
        district: `bac-giang/lg${t}`,
        districtMailbox: { action: 'retire' },
        units: [
          { unit: `bac-giang/pnv-lg${t}`, action: 'merge', into: 'bac-ninh/snv', agencyMailbox: 'retire' },
        ],
      },
      {
        op: 'rename_unit',
        unit: `bac-giang/sgtvt${t}`,
        name: 'Sở Xây dựng',
        abbreviation: `sxd${t}`,
        unitCode: 'H07.30',
      },
    ],
  };
}
