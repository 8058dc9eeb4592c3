// Which services the fuzz suite enumerates, how each route is called (auth, JSON or form, CSRF)
// and the body generators for routes whose schema does not describe their body. A route that can
// take a body (POST, PUT, PATCH, DELETE) without a body schema and without an entry here has no
// generator: the suite reports it and fails, so whoever adds such a route says here what it takes.
import fc from 'fast-check';
import type { BodyGenerator, ListedRoute } from './generators.ts';

export const SERVICES = ['requests', 'directory', 'provisioner', 'notifier', 'console'] as const;
export type ServiceName = (typeof SERVICES)[number];

export type Auth = 'agency' | 'admin' | 'session' | 'public';

/** Who calls a route: an agency's system, an operator tool with the admin bearer, a console session. */
export function authFor(service: ServiceName, route: ListedRoute): Auth {
  if (route.url === '/healthz' || route.url === '/readyz') return 'public';
  if (service === 'requests') {
    if (
      route.url === '/oauth/token' ||
      route.url.startsWith('/doi-mat-khau') ||
      route.url.startsWith('/docs')
    )
      return 'public';
    if (route.url.startsWith('/.well-known') || route.url === '/v1/self-service/password') return 'public';
    // SCIM takes the agency's OAuth access token as well as an operator-issued SCIM token
    if (route.url.startsWith('/v1/') || route.url.startsWith('/scim/')) return 'agency';
    return 'admin';
  }
  if (service === 'console') return route.url.startsWith('/admin/') ? 'admin' : 'session';
  return 'admin';
}

/** Form-encoded bodies: the console's pages, the token endpoint, the self-service page. */
export function isForm(service: ServiceName, route: ListedRoute): boolean {
  if (route.consumes?.includes('application/x-www-form-urlencoded')) return true;
  if (service === 'console') return !route.url.startsWith('/admin/');
  return service === 'requests' && route.url === '/doi-mat-khau';
}

/**
 * Whether the route's refusals are application/problem+json: all but HTML pages (the console's,
 * the self-service page, the API documentation) and the token endpoint, whose errors follow OAuth
 * (RFC 6749 §5.2, application/json with `error`, plus the problem fields).
 */
export function answersProblemJson(service: ServiceName, route: ListedRoute): boolean {
  if (service === 'console') return route.url.startsWith('/admin/');
  if (service === 'requests')
    return !(
      route.url === '/oauth/token' ||
      route.url.startsWith('/doi-mat-khau') ||
      route.url.startsWith('/docs') ||
      // SCIM refuses with its own error message (RFC 7644 §3.12, application/scim+json)
      route.url.startsWith('/scim/')
    );
  return true;
}

/** Routes whose body a CSRF token guards (in `_csrf`). */
export const hasCsrf = (service: ServiceName, route: ListedRoute) =>
  (service === 'console' && !route.url.startsWith('/admin/')) ||
  (service === 'requests' && route.url === '/doi-mat-khau');

const text = fc.constantFrom('Nguyễn Văn An', 'canbo.an', 'a', '');

/**
 * Bodies the schema does not describe, by `METHOD url`. `none`: the route takes no body (the
 * suite still sends refused text in its query string and path).
 */
export const BODY_GENERATORS: Record<string, BodyGenerator> = {
  // requests
  'DELETE /admin/clients/:clientId/keys/:kid': { kind: 'none' },
  'POST /v1/requests/:id/credentials': { kind: 'none' },
  'DELETE /admin/clients/:clientId/scim-tokens/:id': { kind: 'none' },
  'DELETE /scim/v2/Users/:id': { kind: 'none' },
  'DELETE /scim/v2/Groups/:id': { kind: 'none' },
  'POST /doi-mat-khau': {
    kind: 'custom',
    value: fc.record({
      address: fc.constantFrom('tvanh.stttt@bacninh.gov.vn', 'khong-co@example.invalid'),
      currentPassword: text,
      newPassword: text,
      confirmPassword: text,
    }),
  },
  // directory
  'DELETE /admin/aliases/:address': { kind: 'none' },
  'POST /admin/groups/:id/sync': { kind: 'none' },
  'DELETE /admin/groups/:id': { kind: 'none' },
  'POST /admin/inactivity/sweep': { kind: 'none' },
  'POST /admin/default-passwords/sweep': { kind: 'none' },
  'POST /admin/reorganisations': {
    kind: 'custom',
    value: fc.record({
      title: text,
      effectiveFrom: fc.constantFrom('2026-12-31', '2027-01-01'),
      changes: fc.array(
        fc.record({ kind: fc.constantFrom('rename', 'merge', 'move'), agencyId: fc.uuid(), name: text }),
        { maxLength: 2 },
      ),
    }),
  },
  'POST /admin/reorganisations/:id/apply': { kind: 'none' },
  'DELETE /admin/mailboxes/:id/absence': { kind: 'none' },
  // provisioner
  'POST /admin/dead-letters/:id/replay': { kind: 'none' },
  'POST /admin/drift/repair': { kind: 'none' },
  'POST /admin/retention/purge': { kind: 'none' },
  'POST /admin/activity/report': { kind: 'none' },
  // console (every page POST carries _csrf, added by the suite)
  'POST /login': {
    kind: 'custom',
    value: fc.record({
      username: fc.constantFrom('fuzz.khong-co', 'a'),
      password: text,
      next: fc.constantFrom('/approvals', '//evil.example', ''),
    }),
  },
  'POST /logout': { kind: 'custom', value: fc.constant({}) },
  'POST /dead-letters/:id/replay': { kind: 'custom', value: fc.constant({}) },
};

/**
 * Routes the suite leaves alone, with the reason: none today. (Documentation pages and static
 * files are reads without input, and are fuzzed like any other.)
 */
export const NOT_FUZZED: Record<string, string> = {
  // The listing itself is fuzzed as a read; nothing is left out.
};

/** The body generator for a route, or undefined when it has none (a failure of the suite). */
export function bodyGeneratorFor(route: ListedRoute): BodyGenerator | undefined {
  const entry = BODY_GENERATORS[`${route.method} ${route.url}`];
  if (entry) return entry;
  if (route.schema?.body) return { kind: 'schema' };
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)) return { kind: 'none' };
  return undefined;
}
