// Helpers of the console's integration tests: a cookie-keeping form client (what a browser does,
// with plain fetch), operators made for one test, and an item that needs two operators.
import { randomUUID } from 'node:crypto';
import {
  adminFetch,
  createAgencyClient,
  ensureService,
  readDemoClients,
  serviceUrl,
  waitFor,
} from '@hopthu/shared/testing';
import type { Role } from '../src/db/schema.ts';

export const CONSOLE = serviceUrl('console');
export const REQUESTS = serviceUrl('requests');
export const DIRECTORY = serviceUrl('directory');

export const useConsole = () => ensureService('console', CONSOLE);

const letters = (n: number) =>
  Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyz'[Math.floor(Math.random() * 26)]).join('');

export interface TestOperator {
  username: string;
  password: string;
  displayName: string;
  role: Role;
}

/** A new operator account for this test (unique name, so reruns and rate limits do not collide). */
export async function createTestOperator(
  role: Role = 'approver',
  displayName = 'Cán bộ kiểm thử',
): Promise<TestOperator> {
  const op = { username: `kt.${letters(10)}`, password: `Kt-${randomUUID()}`, displayName, role };
  const res = await adminFetch(CONSOLE, 'POST', '/admin/operators', op);
  if (res.status !== 201) throw new Error(`creating operator: ${res.status} ${JSON.stringify(res.body)}`);
  return op;
}

/** A browser-like client: keeps cookies, never follows redirects, posts forms. */
export function createFormClient() {
  const jar = new Map<string, string>();
  async function send(method: string, path: string, form?: Record<string, string>) {
    const res = await fetch(`${CONSOLE}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/Max-Age=0/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    return { status: res.status, location: res.headers.get('location'), setCookies, html: await res.text() };
  }
  const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  return {
    jar,
    get: (path: string) => send('GET', path),
    post: (path: string, form: Record<string, string>) => send('POST', path, form),
    csrfIn,
    async logIn(op: { username: string; password: string }) {
      const page = await send('GET', '/login');
      return send('POST', '/login', {
        _csrf: csrfIn(page.html),
        username: op.username,
        password: op.password,
        next: '/approvals',
      });
    },
    /** The session's CSRF token, read from a page's forms. */
    async csrf() {
      return csrfIn((await send('GET', '/approvals')).html);
    },
  };
}

/**
 * A request from the demo agency stttt deleting a new sub-unit's agency mailbox: the policy holds
 * it for two different operators. Returns the request and item ids.
 */
export async function submitAgencyMailboxDelete(): Promise<{
  requestId: string;
  itemId: string;
  address: string;
}> {
  const stttt = createAgencyClient(readDemoClients().find((c) => c.abbreviation === 'stttt')!);
  const abbreviation = `kt${letters(8)}`;
  const unit = await adminFetch<{ agencyId: string; officialMailbox: string }>(
    DIRECTORY,
    'POST',
    '/admin/agencies',
    {
      province: 'bac-ninh',
      name: `Phòng Kiểm thử bảng điều khiển ${abbreviation}`,
      abbreviation,
      unitType: 'subunit',
      parentId: stttt.client.agencyId,
    },
  );
  if (unit.status !== 201)
    throw new Error(`registering a sub-unit: ${unit.status} ${JSON.stringify(unit.body)}`);
  const address = unit.body.officialMailbox;
  // The requests service learns of the new mailbox through the directory topic: retry while it answers 403.
  const asked = await waitFor(
    async () => {
      const answer = await stttt.submit({
        requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' },
        reference: { number: `${Math.floor(Math.random() * 90000) + 10000}/STTTT-VP`, date: '2026-11-22' },
        items: [{ operation: 'delete', mailboxType: 'agency', address, reason: 'Giải thể đơn vị' }],
      });
      if (answer.status === 202) return answer.body;
      if (answer.status !== 403)
        throw new Error(`submit answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return undefined;
    },
    { timeoutMs: 30_000, what: 'agency-mailbox delete accepted' },
  );
  return { requestId: asked.id, itemId: asked.items[0]!.id, address };
}

export async function itemInRequests(requestId: string, itemId: string) {
  const r = await adminFetch<{ items: { id: string; status: string; approvals: string[] }[] }>(
    REQUESTS,
    'GET',
    `/admin/requests/${requestId}`,
  );
  return r.body.items.find((i) => i.id === itemId)!;
}
