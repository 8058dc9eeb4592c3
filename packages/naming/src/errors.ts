// Naming errors: one class with a stable code, the path of the offending input field and a message
// in Vietnamese and English, so the directory service can turn it into problem+json and the CLI
// into one JSON line without guessing.

export type NamingErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unknown_province'
  | 'missing_field'
  | 'invalid_name'
  | 'invalid_abbreviation'
  | 'invalid_unit_type'
  | 'invalid_local_part'
  | 'local_part_too_long'
  | 'no_free_candidate';

export interface LocalizedMessage {
  vi: string;
  en: string;
}

/** The plain-data form of a NamingError, safe to serialise. */
export interface NamingErrorDetail {
  code: NamingErrorCode;
  /** Path of the input field at fault, e.g. `person.givenName`; null when the whole input is at fault. */
  field: string | null;
  message: LocalizedMessage;
}

export class NamingError extends Error {
  readonly code: NamingErrorCode;
  readonly field: string | null;
  readonly messages: LocalizedMessage;

  constructor(code: NamingErrorCode, field: string | null, message: LocalizedMessage) {
    super(message.en);
    this.name = 'NamingError';
    this.code = code;
    this.field = field;
    this.messages = message;
  }

  toDetail(): NamingErrorDetail {
    return { code: this.code, field: this.field, message: { ...this.messages } };
  }
}

export function isNamingError(value: unknown): value is NamingError {
  return value instanceof NamingError;
}
