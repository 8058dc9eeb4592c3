// An installation's own approval policies, without a code change: a JSON file (APPROVAL_POLICY_FILE)
// read once at start, checked against a TypeBox schema and merged over the built-in policies,
// province by province, field by field. A file that does not parse, does not match the schema, or
// would relax the safety rule (agency-mailbox deletes and bulk deletes need two operators) stops the
// service with every problem named: a wrong policy must not start approving things quietly.
import { readFileSync } from 'node:fs';
import { ConfigError } from '@hopthu/shared/config';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  type ApprovalPolicies,
  builtInApprovalPolicies,
  createApprovalPolicies,
  strictestPolicy,
} from './approval-policies.ts';
import { type ApprovalPolicy, MAX_BULK_DELETE_THRESHOLD, validateApprovalPolicy } from './approval-policy.ts';

const OneOf = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v)) as never) as unknown as TSchema & { static: T[number] };

const ApprovalSchema = OneOf(['auto', 'operator', 'two_operators'] as const);

export const ApprovalRuleSchema = Type.Object(
  {
    operation: OneOf([
      'create',
      'update',
      'suspend',
      'restore',
      'delete',
      'reset_password',
      'restore_deleted',
      '*',
    ] as const),
    mailboxType: OneOf(['personal', 'agency', '*'] as const),
    approval: ApprovalSchema,
  },
  { additionalProperties: false },
);

/** One province's override: what it gives replaces the built-in field; what it omits is kept. */
export const PolicyOverrideSchema = Type.Object(
  {
    province: Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*$', description: 'policy id, e.g. bac-ninh' }),
    /** Replaces the built-in rules as a whole (first match wins). */
    rules: Type.Optional(Type.Array(ApprovalRuleSchema, { maxItems: 100 })),
    fallback: Type.Optional(ApprovalSchema),
    bulkDeleteThreshold: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BULK_DELETE_THRESHOLD })),
  },
  { additionalProperties: false },
);

export const ApprovalPolicyFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    policies: Type.Array(PolicyOverrideSchema, { maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type ApprovalPolicyFile = Static<typeof ApprovalPolicyFileSchema>;

function schemaProblems(json: unknown): string[] {
  return [...Value.Errors(ApprovalPolicyFileSchema, json)].map((e) => {
    const anyOf = (e.schema as { anyOf?: { const?: unknown }[] }).anyOf;
    const message = anyOf
      ? `must be one of ${anyOf.map((s) => JSON.stringify(s.const)).join(', ')}`
      : e.message;
    return `${e.path || '/'}: ${message}`;
  });
}

/**
 * The policies in force: the built-in ones with the file's overrides merged over them, and the
 * file's new provinces (merged over the strictest policy). Throws a ConfigError naming every
 * problem.
 */
export function mergeApprovalPolicies(
  json: unknown,
  builtIn: readonly ApprovalPolicy[] = builtInApprovalPolicies(),
  source = 'approval policy file',
): ApprovalPolicy[] {
  const problems = schemaProblems(json);
  if (problems.length > 0) throw policyError(source, problems);
  const file = json as ApprovalPolicyFile;
  const merged = new Map(builtIn.map((p) => [p.province, p]));
  const seen = new Set<string>();
  file.policies.forEach((override, i) => {
    const at = `/policies/${i} (${override.province})`;
    if (seen.has(override.province)) problems.push(`${at}: the province is given twice`);
    seen.add(override.province);
    const base = merged.get(override.province) ?? strictestPolicy(override.province);
    const policy: ApprovalPolicy = {
      province: override.province,
      rules: override.rules ?? base.rules,
      fallback: override.fallback ?? base.fallback,
      bulkDeleteThreshold: override.bulkDeleteThreshold ?? base.bulkDeleteThreshold,
    };
    for (const problem of validateApprovalPolicy(policy)) problems.push(`${at}: ${problem}`);
    merged.set(policy.province, policy);
  });
  if (problems.length > 0) throw policyError(source, problems);
  return [...merged.values()];
}

/** The policies in force at start: the provinces' own (policy files), merged with APPROVAL_POLICY_FILE when one is named. */
export function loadApprovalPolicies(file: string | undefined): ApprovalPolicies {
  const builtIn = builtInApprovalPolicies();
  if (!file) return createApprovalPolicies(builtIn);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw policyError(`APPROVAL_POLICY_FILE ${file}`, [(err as Error).message]);
  }
  return createApprovalPolicies(mergeApprovalPolicies(json, builtIn, `APPROVAL_POLICY_FILE ${file}`));
}

function policyError(source: string, problems: string[]): ConfigError {
  return new ConfigError(`invalid approval policies in ${source}:\n  ${problems.join('\n  ')}`);
}
