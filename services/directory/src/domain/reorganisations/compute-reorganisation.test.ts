import { getPolicy, type ProvincePolicy } from '@hopthu/naming';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeReorganisation,
  type ReorganisationResult,
  type ReorganisationSnapshot,
  type SnapshotAgency,
  type SnapshotMailbox,
  type SnapshotPerson,
} from './compute-reorganisation.ts';
import type { ReorganisationPlan } from './reorganisation-plan.ts';

// Bắc Giang before the merger as the demo defines it: Bắc Ninh's tree rule, given name first.
const bacNinh = getPolicy('bac-ninh');
const bacGiang: ProvincePolicy = {
  ...bacNinh,
  id: 'bac-giang',
  name: 'Bắc Giang',
  domain: 'bacgiang.gov.vn',
  personal: { ...bacNinh.personal, pattern: 'given-initials' },
};
const policies: Record<string, ProvincePolicy> = { 'bac-ninh': bacNinh, 'bac-giang': bacGiang };

let nextId = 0;
const id = () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`;

function buildWorld() {
  const agencies: SnapshotAgency[] = [];
  const mailboxes: SnapshotMailbox[] = [];
  const people = new Map<string, SnapshotPerson>();
  const agency = (
    province: string,
    name: string,
    abbreviation: string,
    unitType: string,
    parent: string | null,
    local: string | null,
  ) => {
    const a: SnapshotAgency = {
      id: id(),
      province,
      name,
      abbreviation,
      unitType,
      parentId: parent,
      unitCode: null,
      officialMailboxId: null,
      dissolved: false,
      dissolvedInto: null,
      formerProvince: null,
      formerAbbreviations: [],
    };
    if (local) {
      const m: SnapshotMailbox = {
        id: id(),
        localPart: local,
        domain: policies[province]?.domain as string,
        type: 'agency',
        agencyId: a.id,
        personId: null,
        displayName: name,
      };
      mailboxes.push(m);
      a.officialMailboxId = m.id;
    }
    agencies.push(a);
    return a;
  };
  const person = (
    a: SnapshotAgency,
    local: string,
    familyName: string,
    middleName: string,
    givenName: string,
  ) => {
    const personId = id();
    people.set(personId, { familyName, middleName, givenName });
    const m: SnapshotMailbox = {
      id: id(),
      localPart: local,
      domain: policies[a.province]?.domain as string,
      type: 'personal',
      agencyId: a.id,
      personId,
      displayName: `${familyName} ${middleName} ${givenName}`,
    };
    mailboxes.push(m);
    return m;
  };
  const bnSkhcn = agency('bac-ninh', 'Sở Khoa học và Công nghệ', 'skhcn', 'agency', null, 'skhcn');
  const bnSnv = agency('bac-ninh', 'Sở Nội vụ', 'snv', 'agency', null, 'snv');
  person(bnSkhcn, 'tvanh.skhcn', 'Trần', 'Văn', 'Anh');
  const bgStttt = agency('bac-giang', 'Sở Thông tin và Truyền thông', 'stttt', 'agency', null, 'stttt');
  const bgSct = agency('bac-giang', 'Sở Công Thương', 'sct', 'agency', null, 'sct');
  const yenDung = agency('bac-giang', 'UBND huyện Yên Dũng', 'yd', 'district', null, 'yendung');
  const tanAn = agency('bac-giang', 'Xã Tân An', 'tanan', 'commune', yenDung.id, 'tanan.yendung');
  const pnv = agency('bac-giang', 'Phòng Nội vụ huyện Yên Dũng', 'pnv-yd', 'subunit', yenDung.id, 'pnvyd.yd');
  const mailboxesOf = {
    anhStttt: person(bgStttt, 'anhtv.stttt', 'Trần', 'Văn', 'Anh'),
    binhSct: person(bgSct, 'binhnt.sct', 'Nguyễn', 'Thị', 'Bình'),
    cuongTanAn: person(tanAn, 'cuonglv.tanan.yendung', 'Lê', 'Văn', 'Cường'),
    dungPnv: person(pnv, 'dungpt.pnvyd.yd', 'Phạm', 'Thu', 'Dung'),
  };
  return {
    agencies,
    mailboxes,
    people,
    ids: { bnSkhcn, bnSnv, bgStttt, bgSct, yenDung, tanAn, pnv },
    mailboxesOf,
  };
}

function snapshotOf(world: ReturnType<typeof buildWorld> & { domainsAfter?: true }): ReorganisationSnapshot {
  const taken = new Map<string, Map<string, number>>();
  const domains = new Map<string, string[]>();
  for (const m of world.mailboxes) {
    const a = world.agencies.find((x) => x.id === m.agencyId) as SnapshotAgency;
    const target = a.province === 'bac-giang' ? 'bac-ninh' : a.province;
    const t = taken.get(target) ?? new Map<string, number>();
    taken.set(target, t);
    t.set(m.localPart, (t.get(m.localPart) ?? 0) + 1);
  }
  const merged = 'domainsAfter' in world;
  domains.set('bac-ninh', merged ? ['bacninh.gov.vn', 'bacgiang.gov.vn'] : ['bacninh.gov.vn']);
  domains.set('bac-giang', merged ? [] : ['bacgiang.gov.vn']);
  return {
    agencies: world.agencies,
    mailboxes: world.mailboxes,
    people: world.people,
    taken,
    domains,
    policy: (p) => policies[p] ?? null,
  };
}

const mergerPlan: ReorganisationPlan = {
  title: 'Sáp nhập tỉnh Bắc Giang vào tỉnh Bắc Ninh',
  basis: 'Nghị quyết 202/2025/QH15',
  effectiveFrom: '2025-07-01',
  operations: [
    { op: 'merge_province', from: 'bac-giang', into: 'bac-ninh' },
    { op: 'merge_agency', agency: 'bac-giang/stttt', into: 'bac-ninh/skhcn', agencyMailbox: 'alias' },
    {
      op: 'dissolve_district',
      district: 'bac-giang/yd',
      districtMailbox: { action: 'retire' },
      units: [{ unit: 'bac-giang/pnv-yd', action: 'merge', into: 'bac-ninh/snv', agencyMailbox: 'retire' }],
    },
  ],
};

const toOf = (r: ReorganisationResult, mailboxId: string) => r.changes.find((c) => c.mailboxId === mailboxId);

describe('the Bắc Giang → Bắc Ninh merger as a dry run', () => {
  it('when a province merges, then its mailboxes take the target rule and primary domain, collisions numbered', () => {
    const world = buildWorld();
    const result = computeReorganisation(snapshotOf(world), mergerPlan);
    expect(result.conflicts).toEqual([]);
    // a unit kept by the rule only changes domain; its people take Bắc Ninh's initials-given form
    expect(toOf(result, world.ids.bgSct.officialMailboxId as string)).toMatchObject({
      from: 'sct@bacgiang.gov.vn',
      to: 'sct@bacninh.gov.vn',
      kind: 'readdress',
    });
    expect(toOf(result, world.mailboxesOf.binhSct.id)).toMatchObject({ to: 'ntbinh.sct@bacninh.gov.vn' });
    // the merged Sở: people move to Sở KH&CN, the namesake there keeps tvanh.skhcn
    expect(toOf(result, world.mailboxesOf.anhStttt.id)).toMatchObject({
      to: 'tvanh1.skhcn@bacninh.gov.vn',
      agencyId: world.ids.bnSkhcn.id,
    });
    expect(toOf(result, world.ids.bgStttt.officialMailboxId as string)).toMatchObject({
      kind: 'alias',
      aliasTargetAgencyId: world.ids.bnSkhcn.id,
    });
    // the dissolved district: communes lose the district, its unit's people move, its mailbox retires
    expect(toOf(result, world.ids.tanAn.officialMailboxId as string)).toMatchObject({
      to: 'tanan@bacninh.gov.vn',
    });
    expect(toOf(result, world.mailboxesOf.cuongTanAn.id)).toMatchObject({
      to: 'lvcuong.tanan@bacninh.gov.vn',
    });
    expect(toOf(result, world.mailboxesOf.dungPnv.id)).toMatchObject({
      to: 'ptdung.snv@bacninh.gov.vn',
      agencyId: world.ids.bnSnv.id,
    });
    expect(toOf(result, world.ids.yenDung.officialMailboxId as string)).toMatchObject({ kind: 'retire' });
    expect(result.domainMoves).toEqual([
      {
        domain: 'bacgiang.gov.vn',
        fromProvince: 'bac-giang',
        intoProvince: 'bac-ninh',
        primaryDomain: 'bacninh.gov.vn',
      },
    ]);
    expect(result.agencies.find((a) => a.agencyId === world.ids.tanAn.id)).toMatchObject({
      parentId: null,
      province: 'bac-ninh',
    });
    expect(result.agencies.find((a) => a.agencyId === world.ids.bgStttt.id)).toMatchObject({
      dissolved: true,
      province: 'bac-giang',
    });
    // Bắc Ninh's own mailboxes are untouched
    expect(result.changes.every((c) => c.from.endsWith('@bacgiang.gov.vn'))).toBe(true);
  });

  it('when the plan is computed again on the tree it produced, then nothing changes', () => {
    const world = buildWorld();
    const first = computeReorganisation(snapshotOf(world), mergerPlan);
    const after = applied(world, first);
    const again = computeReorganisation(snapshotOf(after), mergerPlan);
    expect(again.conflicts).toEqual([]);
    expect(again.changes).toEqual([]);
    expect(again.domainMoves).toEqual([]);
  });

  it('when an absorbed agency keeps an abbreviation the target province uses, then a conflict names it', () => {
    const world = buildWorld();
    const plan: ReorganisationPlan = {
      ...mergerPlan,
      operations: mergerPlan.operations.filter((op) => op.op !== 'merge_agency'),
    };
    world.agencies.push({
      ...(world.ids.bgStttt as SnapshotAgency),
      id: id(),
      province: 'bac-ninh',
      officialMailboxId: null,
    });
    const result = computeReorganisation(snapshotOf(world), plan);
    expect(result.conflicts).toContainEqual(
      expect.objectContaining({ kind: 'abbreviation_taken', ref: 'bac-ninh/stttt' }),
    );
  });

  it('when the target rule leaves collisions to an operator, then the dry run asks, and addressChoices answers', () => {
    const world = buildWorld();
    const operatorRule: ProvincePolicy = {
      ...bacNinh,
      collision: { kind: 'operator', start: 1, proposalCount: 3, article: 'x' },
    };
    const snapshot = {
      ...snapshotOf(world),
      policy: (p: string) => (p === 'bac-ninh' ? operatorRule : (policies[p] ?? null)),
    };
    const result = computeReorganisation(snapshot, mergerPlan);
    expect(result.conflicts).toContainEqual(
      expect.objectContaining({
        kind: 'operator_choice',
        address: 'anhtv.stttt@bacgiang.gov.vn',
        candidates: expect.arrayContaining(['tvanh1.skhcn@bacninh.gov.vn']),
      }),
    );
    const chosen = computeReorganisation(snapshot, {
      ...mergerPlan,
      addressChoices: { 'anhtv.stttt@bacgiang.gov.vn': 'tvanh.kt.skhcn' },
    });
    expect(chosen.conflicts).toEqual([]);
    expect(toOf(chosen, world.mailboxesOf.anhStttt.id)).toMatchObject({
      to: 'tvanh.kt.skhcn@bacninh.gov.vn',
    });
  });

  it('when an agency named in the plan does not exist, then the conflict carries its path', () => {
    const world = buildWorld();
    const result = computeReorganisation(snapshotOf(world), {
      ...mergerPlan,
      operations: [
        { op: 'merge_agency', agency: 'bac-giang/khongco', into: 'bac-ninh/snv', agencyMailbox: 'retire' },
      ],
    });
    expect(result.conflicts).toEqual([
      expect.objectContaining({ kind: 'unknown_agency', ref: 'bac-giang/khongco' }),
    ]);
    expect(result.changes).toEqual([]);
  });
});

describe('properties', () => {
  const word = fc.constantFrom('Anh', 'Bình', 'Cường', 'Dũng', 'Hà', 'Lan', 'Minh', 'Nam', 'Thu', 'Trung');
  const family = fc.constantFrom('Trần', 'Nguyễn', 'Lê', 'Phạm', 'Hoàng');
  it('whatever the namesakes, new addresses are unique and never one already held in the target', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(family, word, word), { minLength: 1, maxLength: 40 }), (names) => {
        const world = buildWorld();
        for (const [f, m, g] of names) {
          const a = world.ids.bgSct;
          const personId = id();
          world.people.set(personId, { familyName: f, middleName: m, givenName: g });
          world.mailboxes.push({
            id: id(),
            localPart: `p${world.mailboxes.length}.sct`,
            domain: 'bacgiang.gov.vn',
            type: 'personal',
            agencyId: a.id,
            personId,
            displayName: `${f} ${m} ${g}`,
          });
        }
        const result = computeReorganisation(snapshotOf(world), mergerPlan);
        const targets = result.changes.filter((c) => c.kind === 'readdress').map((c) => c.to.split('@')[0]);
        const before = new Set(
          world.mailboxes.filter((m) => m.domain === 'bacninh.gov.vn').map((m) => m.localPart),
        );
        expect(new Set(targets).size).toBe(targets.length);
        for (const t of targets) expect(before.has(t as string)).toBe(false);
        expect(result.conflicts).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

/** The world after the result: what the apply does to the tree and the mailboxes. */
function applied(world: ReturnType<typeof buildWorld>, result: ReorganisationResult) {
  const agencies = world.agencies.map((a) => {
    const after = result.agencies.find((x) => x.agencyId === a.id);
    return after
      ? {
          ...a,
          province: after.province,
          name: after.name,
          abbreviation: after.abbreviation,
          parentId: after.parentId,
          unitCode: after.unitCode,
          dissolved: after.dissolved,
          dissolvedInto: after.dissolvedInto,
          formerProvince: after.formerProvince,
        }
      : a;
  });
  const mailboxes = world.mailboxes.flatMap((m) => {
    const change = result.changes.find((c) => c.mailboxId === m.id);
    if (!change) return [m];
    if (change.kind === 'retire' || change.kind === 'alias') return [];
    const [localPart, domain] = change.to.split('@') as [string, string];
    return [{ ...m, localPart, domain, agencyId: change.agencyId }];
  });
  // bacgiang.gov.vn is now Bắc Ninh's alias domain
  return { ...world, agencies, mailboxes, domainsAfter: true as const };
}
