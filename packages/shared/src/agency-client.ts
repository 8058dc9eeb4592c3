// What an agency's system does with the API, built only from an entry of var/demo/clients.json:
// a private_key_jwt token (RFC 7523), POST /v1/requests, GET /v1/requests/{id} until every item
// has ended, and the one-time credential. Used by the end-to-end tests and by `./hopthu bench`,
// so both drive the product the way a real client would.
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { importJWK, SignJWT } from 'jose';
import createClient from 'openapi-fetch';
import type { paths } from './generated/requests-api.ts';
import type { DemoClient } from './testing.ts';

export interface RequestItemView {
  id: string;
  status: string;
  address?: string;
  credentialUrl?: string;
  reason?: unknown;
  [key: string]: unknown;
}

export interface RequestView {
  id: string;
  status: string;
  dueAt: string;
  items: RequestItemView[];
  [key: string]: unknown;
}

export interface SubmitAnswer {
  status: number;
  body: RequestView;
  location: string | null;
}

type SubmitBody = paths['/v1/requests']['post']['requestBody']['content']['application/json'];

/** Request states after which nothing changes any more. */
export const FINISHED_REQUEST_STATES = ['completed', 'failed', 'rejected', 'partially_completed'];

/** Where an agency's system talks to the API, and the key it signs with (an entry of clients.json). */
export type AgencyClientConfig = Pick<
  DemoClient,
  'agencyId' | 'clientId' | 'privateJwk' | 'tokenUrl' | 'apiUrl'
>;

/** Knobs for an assertion; the defaults make a good one. Tests turn them to make bad ones. */
export interface AssertionOptions {
  /** Default: the client's token URL. */
  audience?: string;
  /** Lifetime from `iat`; default 60 s. */
  expiresInSeconds?: number;
  /** Moves `iat` (and so `exp`) into the past or the future; default 0. */
  issuedAtOffsetSeconds?: number;
  jti?: string;
  /** Default: the private key's kid. */
  kid?: string;
}

/** A private_key_jwt client assertion (RFC 7523): ES256, iss = sub = client id, aud = token URL. */
export async function clientAssertion(
  client: Pick<DemoClient, 'clientId' | 'privateJwk' | 'tokenUrl'>,
  options: AssertionOptions = {},
): Promise<string> {
  const key = await importJWK(client.privateJwk as never, 'ES256');
  const now = Math.floor(Date.now() / 1000) + (options.issuedAtOffsetSeconds ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? String(client.privateJwk.kid) })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(options.audience ?? client.tokenUrl)
    .setJti(options.jti ?? randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 60))
    .sign(key);
}

/** POSTs an assertion to the token endpoint (client_credentials grant); the raw answer. */
export function requestToken(tokenUrl: string, assertion: string): Promise<Response> {
  return fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
}

export function createAgencyClient(client: AgencyClientConfig) {
  let token: { value: string; until: number } | undefined;

  async function accessToken(): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const res = await requestToken(client.tokenUrl, await clientAssertion(client));
    if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    // renew a little before the server's expiry
    token = { value: body.access_token, until: Date.now() + Math.max(5, body.expires_in - 30) * 1000 };
    return token.value;
  }

  /** Sends with the access token; on 429 it waits as Retry-After says (a few times), as a good client does. */
  async function send(request: Request): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const attemptRequest = request.clone();
      attemptRequest.headers.set('authorization', `Bearer ${await accessToken()}`);
      const res = await fetch(attemptRequest);
      if (res.status !== 429 || attempt >= 5) return res;
      await res.body?.cancel();
      const seconds = Number(res.headers.get('retry-after') ?? 1);
      await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(seconds) ? seconds : 1, 30) * 1000));
    }
  }

  /** A call to the agency API by path under /v1 (for what the typed client cannot express: bad input). */
  function api(pathname: string, init: RequestInit = {}): Promise<Response> {
    return send(new Request(`${client.apiUrl}/${pathname}`, init));
  }

  /**
   * The agency API typed from its OpenAPI document (generated/requests-api.ts): paths, parameters
   * and answers are checked by the compiler against the published contract.
   */
  const typed = createClient<paths>({ baseUrl: client.apiUrl.replace(/\/v1\/?$/, ''), fetch: send });

  return {
    client,
    accessToken,
    api,
    typed,

    /**
     * POSTs a request body; `agencyId` defaults to the client's own agency. The body is whatever
     * the caller gives (tests send bad ones on purpose); the route, header and answer are typed.
     */
    async submit(
      body: Record<string, unknown>,
      idempotencyKey: string = randomUUID(),
    ): Promise<SubmitAnswer> {
      const { data, error, response } = await typed.POST('/v1/requests', {
        params: { header: { 'idempotency-key': idempotencyKey } },
        body: { agencyId: client.agencyId, ...body } as SubmitBody,
      });
      return {
        status: response.status,
        body: (data ?? error) as RequestView,
        location: response.headers.get('location'),
      };
    },

    /**
     * GETs a request; with `waitSeconds` (at most 30) as a long-poll: the answer comes when it has
     * finished or after that long, so a client following many requests does not read them whole
     * every second.
     */
    async get(id: string, options: { waitSeconds?: number } = {}): Promise<RequestView> {
      const query = options.waitSeconds ? { wait: String(options.waitSeconds) } : undefined;
      const { data, error, response } = await typed.GET('/v1/requests/{id}', {
        params: { path: { id }, ...(query ? { query } : {}) },
      });
      if (!data) throw new Error(`GET request ${id} answered ${response.status}: ${JSON.stringify(error)}`);
      return data as RequestView;
    },

    /** The acting agency and its sub-units (GET /v1/agencies). */
    async agencies() {
      const { data, response } = await typed.GET('/v1/agencies');
      if (!data) throw new Error(`GET /v1/agencies answered ${response.status}`);
      return data.items;
    },

    /** Polls until the request reaches a finished state and returns it (whatever that state is). */
    async waitFinished(id: string, timeoutMs = 60_000): Promise<RequestView> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // a service restarting in between is no reason to give up; its last error is in the report
        const view = await this.get(id).catch((err: Error) => err);
        if (!(view instanceof Error) && FINISHED_REQUEST_STATES.includes(view.status)) return view;
        if (Date.now() > deadline) {
          const last = view instanceof Error ? view.message : JSON.stringify(view);
          throw new Error(`request ${id} not finished after ${timeoutMs} ms (last: ${last})`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    },

    /** Opens a one-time credential link: `{ address, password }`, or the HTTP status when refused. */
    async openCredential(url: string): Promise<{ address: string; password: string } | { status: number }> {
      const res = await fetch(url, { headers: { authorization: `Bearer ${await accessToken()}` } });
      if (res.status !== 200) return { status: res.status };
      return (await res.json()) as { address: string; password: string };
    },
  };
}

export type AgencyClient = ReturnType<typeof createAgencyClient>;

type ImapServer = { host: string; port: number };

/** An IMAP session of the stack's Dovecot (plaintext on loopback), not yet connected. */
function imapSession(address: string, password: string, server: ImapServer): ImapFlow {
  const imap = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    logger: false,
    tls: { rejectUnauthorized: false },
    auth: { user: address, pass: password },
  });
  imap.on('error', () => {});
  return imap;
}

/** A person's IMAP login on the stack's Dovecot: true when accepted, false when refused. */
export async function imapLoginWorks(
  address: string,
  password: string,
  server: ImapServer = { host: '127.0.0.1', port: 1143 },
): Promise<boolean> {
  const imap = imapSession(address, password, server);
  try {
    await imap.connect();
  } catch {
    return false;
  }
  await imap.logout().catch(() => {});
  return true;
}

/** The Message-IDs of the INBOX messages with `subject` in their subject, one per message. */
export async function messageIdsInInbox(
  address: string,
  password: string,
  subject: string,
  server: ImapServer = { host: '127.0.0.1', port: 1143 },
): Promise<string[]> {
  const imap = imapSession(address, password, server);
  await imap.connect();
  try {
    const lock = await imap.getMailboxLock('INBOX');
    try {
      const found = await imap.search({ subject });
      if (!Array.isArray(found) || found.length === 0) return [];
      const ids: string[] = [];
      for await (const msg of imap.fetch(found, { envelope: true })) ids.push(msg.envelope?.messageId ?? '');
      return ids;
    } finally {
      lock.release();
    }
  } finally {
    await imap.logout().catch(() => {});
  }
}

/** How many messages in the mailbox's INBOX have `subject` in their subject (an IMAP SEARCH). */
export async function countInInbox(
  address: string,
  password: string,
  subject: string,
  server: ImapServer = { host: '127.0.0.1', port: 1143 },
): Promise<number> {
  return (await messageIdsInInbox(address, password, subject, server)).length;
}
