// A client of one service's HTTP admin API over fetch, holding the admin token on the server side;
// it implements the console's port (domain/admin-api.ts).
import { type AdminApiClient, type UpstreamAnswer, UpstreamError } from '../domain/admin-api.ts';

export function createAdminApiClient(options: {
  name: string;
  baseUrl: string;
  token: string;
  timeoutMs: number;
}): AdminApiClient {
  const base = options.baseUrl.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, body?: unknown): Promise<UpstreamAnswer<T>> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      throw new UpstreamError(options.name, 'unreachable', { cause: err });
    }
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
    get: (path, query) => {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') qs.set(k, v);
      const s = qs.toString();
      return call('GET', s ? `${path}?${s}` : path);
    },
    post: (path, body) => call('POST', path, body),
  };
}
