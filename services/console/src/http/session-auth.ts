// Cookies, the logged-in operator and the CSRF check for the console's pages. The session cookie
// is httpOnly and SameSite=Strict; every POST form carries the session's CSRF token, and a POST
// without it (or with another session's) is refused before anything runs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRecord } from '../db/session-repository.ts';
import { recordAction } from '../domain/audit/record-action.ts';
import { resolveSession } from '../domain/auth/resolve-session.ts';
import { can, type Permission } from '../domain/auth/permissions.ts';
import { csrfTokenMatches } from '../domain/auth/session-policy.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import type { PageUser } from './layout.ts';

export const SESSION_COOKIE = 'hopthu_console_session';
/** Double-submit token for the login form, which comes before any session. */
export const LOGIN_COOKIE = 'hopthu_console_login';

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: SessionRecord;
  }
  interface FastifyContextConfig {
    /** What the logged-in operator's role must allow for this page (every protected page has one). */
    permission?: Permission;
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || name in out) continue;
    try {
      out[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      // a malformed cookie is no cookie
    }
  }
  return out;
}

export interface CookieOptions {
  secure: boolean;
}

export function cookie(
  name: string,
  value: string,
  o: CookieOptions & { maxAgeSeconds?: number; path?: string },
): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${o.path ?? '/'}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(o.secure ? ['Secure'] : []),
    ...(o.maxAgeSeconds !== undefined ? [`Max-Age=${o.maxAgeSeconds}`] : []),
  ].join('; ');
}

export const expiredCookie = (name: string, o: CookieOptions & { path?: string }) =>
  cookie(name, '', { ...o, maxAgeSeconds: 0 });

export function pageUser(s: SessionRecord): PageUser {
  return { username: s.username, displayName: s.displayName, role: s.role, csrfToken: s.csrfToken };
}

/** A local path to return to after login; anything else (another site, `//host`) goes to the queue. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && !next.startsWith('/login')
    ? next
    : '/dashboard';
}

/** onRequest hook: the operator behind the cookie, or a redirect to the login page. */
export function requireOperator(deps: ConsoleDeps) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = parseCookies(request.headers.cookie)[SESSION_COOKIE];
    const session = await resolveSession(deps, { token });
    if (!session) {
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/login${next}`, 303);
    }
    request.consoleSession = session;
  };
}

/** preValidation hook for POST routes: the form's `_csrf` must be the session's token. */
export function requireCsrf(deps: ConsoleDeps, renderRefusal: (request: FastifyRequest) => string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST') return;
    const session = request.consoleSession;
    const given = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (session && csrfTokenMatches(session.csrfToken, given)) return;
    await recordAction(deps, {
      operatorId: session?.operatorId ?? null,
      username: session?.username ?? '',
      action: 'csrf_check',
      target: request.url,
      outcome: 'refused',
      clientIp: request.ip,
    });
    return reply.status(403).type('text/html; charset=utf-8').send(renderRefusal(request));
  };
}

/**
 * onRequest hook after requireOperator: the route's declared permission must be one the session's
 * role has. A route without one is refused too (fail closed); refusals are audited.
 */
export function requirePermission(deps: ConsoleDeps, renderRefusal: (request: FastifyRequest) => string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.consoleSession;
    const permission = request.routeOptions.config.permission;
    if (session && permission && can(session.role, permission)) return;
    await recordAction(deps, {
      operatorId: session?.operatorId ?? null,
      username: session?.username ?? '',
      action: 'permission_check',
      target: `${request.method} ${request.url}`,
      outcome: 'refused',
      details: { permission: permission ?? null, role: session?.role ?? null },
      clientIp: request.ip,
    });
    return reply.status(403).type('text/html; charset=utf-8').send(renderRefusal(request));
  };
}
