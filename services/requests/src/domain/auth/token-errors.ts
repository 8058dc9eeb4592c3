// Errors of the token endpoint as RFC 6749 §5.2 has them (`error`, `error_description`), so
// standard OAuth client libraries report them, and which check failed (`failedCheck`) so an
// agency's developer knows what to fix. Nothing secret is ever in them: no key, no signature.
import { AppError, type LocalizedText } from '@hopthu/shared/errors';

export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

/** What was wrong with a client assertion (or the request carrying it). */
export type FailedCheck =
  | 'grant_type'
  | 'assertion_type'
  | 'malformed'
  | 'client'
  | 'algorithm'
  | 'signature'
  | 'audience'
  | 'issuer'
  | 'expiry'
  | 'lifetime'
  | 'jti'
  | 'jti_replay';

export class OAuthError extends AppError {
  readonly oauthError: OAuthErrorCode;
  readonly failedCheck: FailedCheck;
  constructor(oauthError: OAuthErrorCode, failedCheck: FailedCheck, text: LocalizedText) {
    super(oauthError === 'invalid_client' ? 'invalid_client' : 'validation_failed', text);
    this.oauthError = oauthError;
    this.failedCheck = failedCheck;
  }
}

/** RFC 6749 allows only printable ASCII without `"` and `\` in error_description. */
export function oauthDescription(en: string): string {
  return en.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?');
}
