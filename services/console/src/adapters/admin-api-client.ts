// A client of one service's HTTP admin API over fetch, on the server side; it implements the
// console's port (domain/admin-api.ts). Each call carries a short-lived operator token the console
// signs for the operator it acts for (the console's own name for reads without one), so the
// services record who acted; the console never sends the static ADMIN_TOKEN.
import { type OperatorSigner, signOperatorToken } from '@hopthu/shared/operator-token';
import {
  type ActingOperator,
  type AdminApiClient,
  type UpstreamAnswer,
  UpstreamError,
} from '../domain/admin-api.ts';

/** Who the console's own calls (reads, lists) are made as. */
export const CONSOLE_ITSELF: ActingOperator = { name: 'console', role: 'console' };

export function createAdminApiClient(options: {
  name: string;
  baseUrl: string;
  signer: OperatorSigner;
  timeoutMs: number;
}): AdminApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  const authorization = async (as: ActingOperator | undefined): Promise<string> =>
    `Bearer ${await signOperatorToken(options.signer, as ?? CONSOLE_ITSELF)}`;
  async function send(
    method: string,
    path: string,
    body: unknown,
    as: ActingOperator | undefined,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const auth = await authorization(as);
    try {
      return await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...headers,
          authorization: auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      throw new UpstreamError(options.name, 'unreachable', { cause: err });
    }
  }
  async function call<T>(
    method: string,
    path: string,
    body: unknown,
    as: ActingOperator | undefined,
    headers: Record<string, string> = {},
  ): Promise<UpstreamAnswer<T>> {
    const res = await send(method, path, body, as, headers);
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (res.status >= 500) throw new UpstreamError(options.name, `answered ${res.status}`);
    return { status: res.status, body: parsed as T };
  }
  return {
    name: options.name,
    get: (path, query, as) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, v);
      const s = qs.toString();
      return call('GET', s ? `${path}?${s}` : path, undefined, as);
    },
    post: (path, body, as, headers) => call('POST', path, body, as, headers),
    patch: (path, body, as) => call('PATCH', path, body, as),
    delete: (path, as) => call('DELETE', path, undefined, as),
    async download(path, as) {
      const res = await send('GET', path, undefined, as, { accept: '*/*' });
      if (res.status >= 500) throw new UpstreamError(options.name, `answered ${res.status}`);
      return {
        status: res.status,
        contentType: res.headers.get('content-type') ?? 'application/octet-stream',
        bytes: new Uint8Array(await res.arrayBuffer()),
      };
    },
  };
}
