// A SCIM list answer (RFC 7644 §3.4.2): the page startIndex and count ask for, each resource cut to
// the attributes asked for. Pure.
import { listResponse, MAX_PAGE } from './scim-discovery.ts';

export interface ScimListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  attributes?: string;
  excludedAttributes?: string;
}

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5) on top-level attributes and extension
 * URNs; `id`, `schemas` and `meta` are always returned.
 */
export function projectAttributes(
  resource: Record<string, unknown>,
  attributes: string | undefined,
  excluded: string | undefined,
): Record<string, unknown> {
  const names = (list: string | undefined) =>
    (list ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
      .map((s) => (s.startsWith('urn:') ? s : s.split('.')[0]!));
  const keep = names(attributes);
  const drop = names(excluded);
  const always = new Set(['id', 'schemas', 'meta']);
  const wanted = (key: string) => {
    const k = key.toLowerCase();
    if (always.has(k)) return true;
    const matches = (n: string) => n === k || (n.startsWith(`${k}:`) && k.startsWith('urn:'));
    if (keep.length > 0) return keep.some(matches);
    return !drop.some(matches);
  };
  return Object.fromEntries(Object.entries(resource).filter(([k]) => wanted(k)));
}

/** startIndex and count as RFC 7644 §3.4.2.4 has them: 1-based, below 1 is 1; count capped. */
export function pageOf(query: { startIndex?: string; count?: string }, max: number) {
  const start = Number.parseInt(query.startIndex ?? '1', 10);
  const count = Number.parseInt(query.count ?? String(max), 10);
  return {
    startIndex: Number.isFinite(start) && start >= 1 ? start : 1,
    count: Number.isFinite(count) ? Math.min(Math.max(count, 0), max) : max,
  };
}

/** The list answer for the resources that matched, paged and projected as the query asks. */
export function listAnswer(resources: Record<string, unknown>[], query: ScimListQuery) {
  const { startIndex, count } = pageOf(query, MAX_PAGE);
  const page = listResponse(resources, startIndex, count);
  return {
    ...page,
    Resources: page.Resources.map((r) =>
      projectAttributes(r as Record<string, unknown>, query.attributes, query.excludedAttributes),
    ),
  };
}
