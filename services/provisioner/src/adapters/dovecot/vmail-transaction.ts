// One vmail transaction per change: PostgreSQL integrity (23…) and data (22…) errors never pass on
// retry and become permanent; everything else (a lost connection) stays retryable.
import { PermanentError } from '@hopthu/shared/inbox';
import type { Vmail } from './vmail-repository.ts';

/**
 * The original error is dropped on purpose: its `detail` ("Failing row contains (…)") would carry
 * the password hash into logs and the result event.
 */
function asPermanent(err: unknown): unknown {
  const e = err as { code?: string; message?: string; detail?: string; constraint?: string };
  if (typeof e?.code === 'string' && /^2[23]/.test(e.code)) {
    const detail = e.detail && !/failing row/i.test(e.detail) ? ` (${e.detail})` : '';
    return new PermanentError(
      `Máy chủ thư từ chối thay đổi / the mail server refused the change: ${e.message}${detail} [SQLSTATE ${e.code}]`,
    );
  }
  return err;
}

export type InVmail = <T>(fn: (trx: Vmail) => Promise<T>) => Promise<T>;

export function vmailTransactions(vmail: Vmail): InVmail {
  return async (fn) => {
    try {
      return await vmail.transaction().execute(fn);
    } catch (err) {
      throw asPermanent(err);
    }
  };
}
