// SCIM filters (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter: a test of a resource as SCIM
// compares (strings ignore case except `id` and `externalId`, which are caseExact), and the
// equalities on `userName`, `externalId`, `id` and `displayName` that the database can narrow a
// list by before the test runs. A filter that does not parse is `400 invalidFilter`. Pure.
import { type Filter, parse, Tester } from 'scim2-parse-filter';
import { scimError } from './scim-errors.ts';

const CASE_EXACT = new Set(['id', 'externalid']);

const fold = (v: unknown) => (typeof v === 'string' ? v.normalize('NFC').toLowerCase() : v);

/** The library's tester with SCIM's case rules; it walks the attribute path itself. */
class ScimTester extends Tester {
  override test(r: unknown, f: Filter): boolean {
    if (f.op === 'eq' || f.op === 'ne' || f.op === 'co' || f.op === 'sw' || f.op === 'ew') {
      const last = f.attrPath.split(/[.:]/).pop()!.toLowerCase();
      if (!CASE_EXACT.has(last) && typeof f.compValue === 'string') {
        const value = fold(f.compValue) as string;
        const op = f.op;
        return this.attrTest(this.attrPath(f.attrPath), r, (s: unknown) => this[op](fold(s), value));
      }
    }
    return super.test(r, f);
  }
}

export interface CompiledFilter {
  test: (resource: Record<string, unknown>) => boolean;
  /** Equalities every match must satisfy (from a top-level `eq`, or the `eq`s of a top-level `and`). */
  narrowing: { userName?: string; externalId?: string; id?: string; displayName?: string };
}

export function compileFilter(text: string | undefined): CompiledFilter {
  if (text === undefined || text.trim() === '') return { test: () => true, narrowing: {} };
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (err) {
    throw scimError(400, 'invalidFilter', {
      vi: `Bộ lọc không hợp lệ: ${(err as Error).message}`,
      en: `The filter is invalid: ${(err as Error).message}`,
    });
  }
  const tester = new ScimTester();
  const narrowing: CompiledFilter['narrowing'] = {};
  for (const f of ast.op === 'and' ? (ast as { filters: Filter[] }).filters : [ast]) {
    if (f.op !== 'eq' || typeof (f as { compValue: unknown }).compValue !== 'string') continue;
    const { attrPath, compValue } = f as { attrPath: string; compValue: string };
    const key = attrPath.replace(/^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i, '').toLowerCase();
    if (key === 'username') narrowing.userName = compValue;
    else if (key === 'externalid') narrowing.externalId = compValue;
    else if (key === 'id') narrowing.id = compValue;
    else if (key === 'displayname') narrowing.displayName = compValue;
  }
  return { test: (resource) => tester.test(resource, ast), narrowing };
}
