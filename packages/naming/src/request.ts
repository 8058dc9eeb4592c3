// The JSON shape of `./hopthu naming` (binding names; extend, never rename), parsed from unknown
// input with field paths in every error, and answered in the CLI's output shape:
//   {"local": "tvanh1.stttt", "address": "tvanh1.stttt@bacninh.gov.vn"}
//   {"decision": "operator", "candidates": ["…"]}
//   {"error": "<English message>", "code": "…", "field": "…", "vi": "<Vietnamese message>"}
import { chooseAddresses, type AddressChoice, type NamingInput } from './choose.ts';
import { NamingError, type NamingErrorDetail } from './errors.ts';
import { foldToAscii } from './fold.ts';
import type { PersonName } from './name-parts.ts';
import { getPolicy } from './policies/registry.ts';
import type { ProvincePolicy, UnitType } from './policies/policy-types.ts';
import type { UnitDescription } from './unit.ts';
import { rankOfPerson } from './rank.ts';

export type ProposalOutput =
  | { local: string; address: string }
  | { decision: 'operator'; candidates: string[] }
  | { error: string; code: string; field: string | null; vi: string };

export interface ParsedNamingRequest {
  policy: ProvincePolicy;
  input: NamingInput;
  /** Local parts in use, reserved or recently retired (from `taken`, `reserved`, `retired`). */
  taken: Set<string>;
}

/** Answers one request in the CLI's JSON shape. Never throws for bad input. */
export function proposeAddress(request: unknown): ProposalOutput {
  return proposeAddresses([request])[0] as ProposalOutput;
}

/**
 * Answers the items of one request together, in input order: an address given to an earlier item
 * is taken for later ones in the same province, every item's `taken` list counts for all items of
 * its province, and Kiên Giang serves people by rank (see chooseAddresses).
 */
export function proposeAddresses(requests: readonly unknown[]): ProposalOutput[] {
  const outputs: ProposalOutput[] = new Array(requests.length);
  const groups = new Map<
    string,
    { policy: ProvincePolicy; indices: number[]; inputs: NamingInput[]; taken: Set<string> }
  >();
  requests.forEach((request, index) => {
    try {
      const parsed = parseNamingRequest(request);
      let group = groups.get(parsed.policy.id);
      if (group === undefined) {
        group = { policy: parsed.policy, indices: [], inputs: [], taken: new Set() };
        groups.set(parsed.policy.id, group);
      }
      group.indices.push(index);
      group.inputs.push(parsed.input);
      for (const local of parsed.taken) group.taken.add(local);
    } catch (error) {
      if (!(error instanceof NamingError)) throw error;
      outputs[index] = toErrorOutput(error.toDetail());
    }
  });
  for (const group of groups.values()) {
    const choices = chooseAddresses(group.policy, group.inputs, (local) => group.taken.has(local));
    choices.forEach((choice, i) => {
      outputs[group.indices[i] as number] = toOutput(choice);
    });
  }
  return outputs;
}

export function toOutput(choice: AddressChoice): ProposalOutput {
  switch (choice.outcome) {
    case 'assigned':
      return { local: choice.local, address: choice.address };
    case 'operator':
      return { decision: 'operator', candidates: choice.candidates };
    case 'error':
      return toErrorOutput(choice.error);
  }
}

export function toErrorOutput(detail: NamingErrorDetail): ProposalOutput {
  return { error: detail.message.en, code: detail.code, field: detail.field, vi: detail.message.vi };
}

/** Validates one request object and turns it into a policy, an input and the taken set. */
export function parseNamingRequest(request: unknown): ParsedNamingRequest {
  const body = expectObject(request, null);
  const province = expectString(body.province, 'province', true) as string;
  const policy = getPolicy(province);
  const taken = new Set<string>();
  for (const key of ['taken', 'reserved', 'retired'] as const) {
    for (const entry of expectStringList(body[key], key)) {
      const local = toLocalPart(entry, policy);
      if (local !== null) taken.add(local);
    }
  }
  const kind = body.kind;
  if (kind === 'personal') {
    const personBody = expectObject(body.person, 'person');
    const person: PersonName = {
      familyName: expectString(personBody.familyName, 'person.familyName', true) as string,
      middleName: expectString(personBody.middleName, 'person.middleName', false),
      givenName: expectString(personBody.givenName, 'person.givenName', true) as string,
      // the rank given, else the position's (the directory's ranking: rankOfPerson)
      rank:
        rankOfPerson({
          rank: expectRank(personBody.rank, 'person.rank'),
          position: expectString(personBody.position, 'person.position', false),
        }) ?? null,
    };
    return {
      policy,
      taken,
      input: {
        kind: 'personal',
        person,
        agency: expectString(body.agency, 'agency', false),
        district: expectString(body.district, 'district', false),
      },
    };
  }
  if (kind === 'unit') {
    const unit = parseUnit(body.unit, 'unit', 0);
    const parent = body.parent == null ? null : parseUnit(body.parent, 'parent', 0);
    return { policy, taken, input: { kind: 'unit', unit, parent } };
  }
  throw invalid('kind', 'kind phải là "personal" hoặc "unit".', 'kind must be "personal" or "unit".');
}

function parseUnit(value: unknown, field: string, depth: number): UnitDescription {
  const body = expectObject(value, field);
  if (depth > 6) throw invalid(field, 'Cây đơn vị quá sâu.', 'The unit tree is too deep.');
  const type = expectString(body.type, `${field}.type`, true) as UnitType;
  return {
    name: expectString(body.name, `${field}.name`, true) as string,
    type,
    abbreviation: expectString(body.abbreviation, `${field}.abbreviation`, false),
    mailboxName: expectString(body.mailboxName, `${field}.mailboxName`, false),
    parent: body.parent == null ? null : parseUnit(body.parent, `${field}.parent`, depth + 1),
  };
}

// `taken` may hold local parts or whole addresses; addresses of another domain cannot collide.
function toLocalPart(entry: string, policy: ProvincePolicy): string | null {
  const folded = foldToAscii(entry).trim();
  const at = folded.lastIndexOf('@');
  if (at === -1) return folded;
  return folded.slice(at + 1) === policy.domain ? folded.slice(0, at) : null;
}

function expectObject(value: unknown, field: string | null): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const name = field ?? 'The request';
    throw new NamingError(value == null && field !== null ? 'missing_field' : 'invalid_request', field, {
      vi: `${field ?? 'Yêu cầu'} phải là một đối tượng JSON.`,
      en: `${name} must be a JSON object.`,
    });
  }
  return value as Record<string, unknown>;
}

function expectString(value: unknown, field: string, required: boolean): string | undefined {
  if (value == null) {
    if (!required) return undefined;
    throw new NamingError('missing_field', field, {
      vi: `Thiếu trường ${field}.`,
      en: `${field} is missing.`,
    });
  }
  if (typeof value !== 'string')
    throw invalid(field, `${field} phải là chuỗi ký tự.`, `${field} must be a string.`);
  return value;
}

function expectStringList(value: unknown, field: string): string[] {
  if (value == null) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw invalid(field, `${field} phải là danh sách chuỗi ký tự.`, `${field} must be a list of strings.`);
  }
  return value as string[];
}

function expectRank(value: unknown, field: string): number | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(
      field,
      `${field} phải là một số (1 là cao nhất).`,
      `${field} must be a number (1 is the highest).`,
    );
  }
  return value;
}

function invalid(field: string, vi: string, en: string): NamingError {
  return new NamingError('invalid_request', field, { vi, en });
}
