// SCIM 2.0 errors (RFC 7644 §3.12): the product's AppError carries the SCIM `scimType` in its
// extensions, and toScimError renders any AppError as the SCIM error message, its `detail` in
// Vietnamese and English (each failing field named), so one error type serves both answers. Pure.
import { AppError, type ErrorCode, type FieldError } from '@hopthu/shared/errors';

export const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

const CODE_FOR_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'invalid_token',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'conflict',
};

/** A SCIM refusal: HTTP status, the SCIM error type where RFC 7644 has one, text in both languages. */
export function scimError(
  status: number,
  scimType: ScimType | undefined,
  text: { vi: string; en: string },
  errors: FieldError[] = [],
): AppError {
  return new AppError(CODE_FOR_STATUS[status] ?? 'validation_failed', text, {
    status,
    errors,
    extensions: scimType ? { scimType } : {},
  });
}

/** The attribute a field error names, for field errors raised by the request path (/items/0/person/x). */
const fieldName = (field: string) => field.replace(/^\/items\/\d+/, '').replace(/^\//, '') || '(body)';

/** An AppError as the body of a SCIM error answer (status is a string in SCIM, RFC 7644 §3.12). */
export function toScimError(error: AppError): Record<string, unknown> {
  const scimType =
    (error.extensions.scimType as ScimType | undefined) ??
    (error.code === 'validation_failed' || error.code === 'invalid_utf8'
      ? 'invalidValue'
      : error.code === 'conflict' && error.status === 409
        ? 'uniqueness'
        : undefined);
  const vi = [error.text.vi, ...error.errors.map((e) => `${fieldName(e.field)}: ${e.message.vi}`)].join('; ');
  const en = [error.text.en, ...error.errors.map((e) => `${fieldName(e.field)}: ${e.message.en}`)].join('; ');
  return {
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(error.status),
    ...(scimType ? { scimType } : {}),
    detail: `${vi} / ${en}`,
  };
}
