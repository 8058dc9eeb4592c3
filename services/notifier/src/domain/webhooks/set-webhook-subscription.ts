// An operator registers (or replaces) the URL and secret an agency's results are posted to.
import type { Clock } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import { upsertWebhookSubscription } from '../../db/agency-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { isValidWebhookSecret } from './webhook-signature.ts';

export async function setWebhookSubscription(
  deps: { db: Kysely<NotifierDb>; clock: Clock },
  input: { agencyId: string; url: string; secret: string },
) {
  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError(
      'validation_failed',
      { vi: 'Địa chỉ webhook không hợp lệ', en: 'Invalid webhook URL' },
      { errors: [{ field: '/url', message: { vi: 'Cần URL http(s)', en: 'an http(s) URL is required' } }] },
    );
  }
  if (!isValidWebhookSecret(input.secret)) {
    throw new AppError(
      'validation_failed',
      { vi: 'Khóa bí mật webhook không hợp lệ', en: 'Invalid webhook secret' },
      {
        errors: [
          {
            field: '/secret',
            message: {
              vi: 'Cần dạng whsec_<base64> với khóa 24 đến 64 byte',
              en: 'expected whsec_<base64> with a 24 to 64 byte key',
            },
          },
        ],
      },
    );
  }
  return upsertWebhookSubscription(deps.db, { ...input, url: url.toString() }, deps.clock.now());
}
