// One error type for the whole product and its RFC 9457 problem+json rendering.
// Every message a caller can see exists in Vietnamese and English.

export type ErrorCode =
  | 'validation_failed'
  | 'invalid_utf8'
  | 'unauthorized'
  | 'invalid_client'
  | 'invalid_token'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'conflict'
  | 'idempotency_conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unsupported_media_type'
  | 'not_ready'
  | 'internal';

export interface LocalizedText {
  vi: string;
  en: string;
}

export interface FieldError {
  /** JSON pointer-like path to the failing field, e.g. `/items/0/person/givenName`. */
  field: string;
  message: LocalizedText;
}

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_utf8: 400,
  unauthorized: 401,
  invalid_client: 401,
  invalid_token: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  conflict: 409,
  idempotency_conflict: 422,
  payload_too_large: 413,
  rate_limited: 429,
  unsupported_media_type: 415,
  not_ready: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly text: LocalizedText;
  readonly errors: FieldError[];
  /** Extra members of the problem (RFC 9457 §3.2), e.g. the agency holding a taken abbreviation. */
  readonly extensions: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    text: LocalizedText,
    options: {
      status?: number;
      errors?: FieldError[];
      cause?: unknown;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(text.en, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.text = text;
    this.status = options.status ?? STATUS[code];
    this.errors = options.errors ?? [];
    this.extensions = options.extensions ?? {};
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** The body of an `application/problem+json` answer (RFC 9457) with our extensions. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  message: LocalizedText;
  errors?: FieldError[];
  instance?: string;
  [extension: string]: unknown;
}

export function toProblem(e: AppError, instance?: string): Problem {
  const p: Problem = {
    ...e.extensions,
    type: `https://hopthu.dev/problems/${e.code.replaceAll('_', '-')}`,
    title: e.text.en,
    status: e.status,
    detail: `${e.text.vi} / ${e.text.en}`,
    code: e.code,
    message: e.text,
  };
  if (e.errors.length > 0) p.errors = e.errors;
  if (instance) p.instance = instance;
  return p;
}

export const internalError = () =>
  new AppError('internal', { vi: 'Lỗi nội bộ của hệ thống', en: 'Internal error' });
