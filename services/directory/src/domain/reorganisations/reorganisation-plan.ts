// The plan of a reorganisation as operators write it (JSON, docs/reorganisation.md): a title, the
// legal basis, the date it takes effect and an ordered list of operations on the agency tree.
// Agencies are named `<province>/<abbreviation>` as they are before the plan (a plan written for a
// merger still reads after it: an agency is also found by its former province or abbreviation).
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Ref = Type.String({
  pattern: '^[a-z]+(?:-[a-z]+)*/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$',
  description: 'an agency as `<province>/<abbreviation>`, e.g. `bac-giang/stttt`',
});
const Province = Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*$' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const MailboxFateSchema = Type.Union([
  Type.Object({ action: Type.Literal('retire') }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('alias'), into: Ref }, { additionalProperties: false }),
]);

const MergeProvince = Type.Object(
  { op: Type.Literal('merge_province'), from: Province, into: Province },
  { additionalProperties: false },
);
const MergeAgency = Type.Object(
  {
    op: Type.Literal('merge_agency'),
    agency: Ref,
    into: Ref,
    /** The merged agency's own mailbox: an alias of the receiving agency's mailbox, or retired. */
    agencyMailbox: Type.Union([Type.Literal('alias'), Type.Literal('retire')]),
  },
  { additionalProperties: false },
);
const DistrictUnit = Type.Union([
  Type.Object(
    {
      unit: Ref,
      action: Type.Literal('merge'),
      into: Ref,
      agencyMailbox: Type.Union([Type.Literal('alias'), Type.Literal('retire')]),
    },
    { additionalProperties: false },
  ),
  Type.Object({ unit: Ref, action: Type.Literal('dissolve') }, { additionalProperties: false }),
]);
const DissolveDistrict = Type.Object(
  {
    op: Type.Literal('dissolve_district'),
    district: Ref,
    /** The district's own mailbox (UBND huyện). */
    districtMailbox: MailboxFateSchema,
    /** The district's own units (phòng, ban); its communes and wards move under the province. */
    units: Type.Array(DistrictUnit, { maxItems: 500 }),
  },
  { additionalProperties: false },
);
const RenameUnit = Type.Object(
  {
    op: Type.Literal('rename_unit'),
    unit: Ref,
    name: Type.Optional(Text(300)),
    abbreviation: Type.Optional(Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$', maxLength: 32 })),
    /** QĐ 20/2020/QĐ-TTg unit code. */
    unitCode: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.-]{1,32}$' })),
  },
  { additionalProperties: false },
);

export const OperationSchema = Type.Union([MergeProvince, MergeAgency, DissolveDistrict, RenameUnit]);
export type ReorganisationOperation = Static<typeof OperationSchema>;

export const ReorganisationPlanSchema = Type.Object(
  {
    title: Text(300),
    /** The legal basis: `Nghị quyết 202/2025/QH15`. */
    basis: Text(300),
    effectiveFrom: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    operations: Type.Array(OperationSchema, { minItems: 1, maxItems: 1000 }),
    /** Operator choices where the target rule leaves a collision to one: old address → new local part. */
    addressChoices: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 320 }),
        Type.String({ pattern: '^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$' }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type ReorganisationPlan = Static<typeof ReorganisationPlanSchema>;

export interface PlanProblem {
  field: string;
  message: { vi: string; en: string };
}

/** Checks a plan; every problem with its JSON path, none when it is usable. */
export function checkPlan(
  value: unknown,
): { plan: ReorganisationPlan; problems: [] } | { problems: PlanProblem[] } {
  if (Value.Check(ReorganisationPlanSchema, value)) {
    const plan = value as ReorganisationPlan;
    if (Number.isNaN(Date.parse(`${plan.effectiveFrom}T00:00:00Z`))) {
      return { problems: [problem('/effectiveFrom', 'ngày không hợp lệ', 'not a date')] };
    }
    return { plan, problems: [] };
  }
  const seen = new Set<string>();
  const problems: PlanProblem[] = [];
  for (const error of Value.Errors(ReorganisationPlanSchema, value)) {
    const field = error.path || '/';
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push(problem(field, `không hợp lệ: ${error.message}`, `invalid: ${error.message}`));
    if (problems.length >= 20) break;
  }
  return { problems };
}

const problem = (field: string, vi: string, en: string): PlanProblem => ({ field, message: { vi, en } });
