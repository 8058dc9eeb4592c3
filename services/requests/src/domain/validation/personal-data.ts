// Personal data at rest: the national ID, the legacy CMND and the date of birth are sealed with
// AES-256-GCM (DATA_KEYS, the ciphertext names its key); the national ID also gets a keyed hash (HMAC-SHA256, NATIONAL_ID_HASH_KEY) for look-ups. They
// are shown only masked, and never put in events or logs.
import type { StoredPerson } from '../../db/schema.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { type DataKeys, decrypt, encrypt, keyedHash } from '../secrets.ts';
import { maskDateOfBirth, maskNationalId } from './national-id.ts';

type Person = NonNullable<SubmitBody['items'][number]['person']>;

export interface SealedPerson {
  person: StoredPerson | null;
  national_id_enc: string | null;
  national_id_hash: string | null;
  date_of_birth_enc: string | null;
}

export function sealPerson(dataKey: DataKeys, input: Person | undefined): SealedPerson {
  if (!input) return { person: null, national_id_enc: null, national_id_hash: null, date_of_birth_enc: null };
  const { nationalId, legacyNationalId, dateOfBirth, ...rest } = input;
  return {
    person: {
      ...rest,
      ...(legacyNationalId ? { legacyNationalIdEnc: encrypt(dataKey, legacyNationalId) } : {}),
    },
    national_id_enc: nationalId ? encrypt(dataKey, nationalId) : null,
    national_id_hash: nationalId ? keyedHash(dataKey, nationalId) : null,
    date_of_birth_enc: dateOfBirth ? encrypt(dataKey, dateOfBirth) : null,
  };
}

/** The person as GET answers show it: names, job and rank in clear, identity data masked. */
export function maskedPerson(
  dataKey: DataKeys,
  row: { person: StoredPerson | null; national_id_enc: string | null; date_of_birth_enc: string | null },
): Record<string, string | number> | undefined {
  if (!row.person) return undefined;
  const { legacyNationalIdEnc, ...shown } = row.person;
  return {
    ...(shown as Record<string, string | number>),
    ...(row.national_id_enc ? { nationalId: maskNationalId(decrypt(dataKey, row.national_id_enc)) } : {}),
    ...(legacyNationalIdEnc
      ? { legacyNationalId: maskNationalId(decrypt(dataKey, legacyNationalIdEnc)) }
      : {}),
    ...(row.date_of_birth_enc
      ? { dateOfBirth: maskDateOfBirth(decrypt(dataKey, row.date_of_birth_enc)) }
      : {}),
  };
}
