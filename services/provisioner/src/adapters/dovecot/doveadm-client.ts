// A small client for Dovecot's doveadm HTTP API (POST /doveadm/v1, `X-Dovecot-API` key auth).
// Errors come back as HTTP 200 with `["error", {"exitCode": n}, tag]`; a worker that dies answers
// with a closed connection. Unreachable or failing servers raise MailServerUnavailableError so
// the command is retried; a refused key does too (an operator must fix the config; nothing is lost).
import { MailServerUnavailableError } from '../../domain/mail-server-adapter.ts';

export interface DoveadmClient {
  /** Runs one command; returns its response, or `{ exitCode }` for a doveadm error. */
  run(
    command: string,
    params: Record<string, unknown>,
  ): Promise<{ ok: true; data: unknown } | { ok: false; exitCode: number }>;
  /** Ends every session of the user. No session (68) and unknown user (67) count as done. */
  kick(user: string): Promise<void>;
}

/** doveadm exit codes that mean "nothing to do" for kick: EX_NOUSER, no sessions. */
const KICK_NOTHING_TO_DO = new Set([67, 68]);

export function createDoveadmClient(options: {
  url: string;
  apiKey: string;
  timeoutMs: number;
}): DoveadmClient {
  const auth = `X-Dovecot-API ${Buffer.from(options.apiKey).toString('base64')}`;
  let seq = 0;

  const run: DoveadmClient['run'] = async (command, params) => {
    const tag = `p${++seq}`;
    let res: Response;
    try {
      res = await fetch(options.url, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify([[command, params, tag]]),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new MailServerUnavailableError(
        `doveadm ${command} unreachable at ${options.url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
        { cause: err },
      );
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) {
      throw new MailServerUnavailableError(
        `doveadm ${command} answered HTTP ${res.status}: ${text.slice(0, 200)}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new MailServerUnavailableError(`doveadm ${command} answered non-JSON: ${text.slice(0, 200)}`);
    }
    const first = Array.isArray(body) ? (body[0] as unknown[]) : null;
    if (!Array.isArray(first)) throw new MailServerUnavailableError(`doveadm ${command}: unexpected answer`);
    if (first[0] === 'error') {
      const detail = first[1] as { exitCode?: number; type?: string } | undefined;
      return { ok: false, exitCode: Number(detail?.exitCode ?? -1) };
    }
    return { ok: true, data: first[1] };
  };

  return {
    run,
    async kick(user) {
      const r = await run('kick', { mask: [user] });
      if (!r.ok && !KICK_NOTHING_TO_DO.has(r.exitCode)) {
        throw new MailServerUnavailableError(`doveadm kick ${user} failed with exit code ${r.exitCode}`);
      }
    },
  };
}
