// The one logger factory: pino JSON, with secrets and personal data redacted wherever they appear.
import pino from 'pino';

/** What code depends on: any pino-compatible logger (tests may pass a capturing one). */
export type Logger = pino.Logger;

/** Paths pino blanks out. Passwords, tokens, keys and national IDs never reach a log line. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'passwordHash',
  '*.passwordHash',
  '*.*.passwordHash',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'client_assertion',
  '*.client_assertion',
  'privateJwk',
  '*.privateJwk',
  'nationalId',
  '*.nationalId',
  '*.*.nationalId',
  '*.*.*.nationalId',
  'dateOfBirth',
  '*.dateOfBirth',
  '*.*.dateOfBirth',
  '*.*.*.dateOfBirth',
  'req.headers.authorization',
  'headers.authorization',
  'req.headers.cookie',
];

export function createLogger(
  service: string,
  options: { level?: string; destination?: pino.DestinationStream } = {},
): Logger {
  const opts: pino.LoggerOptions = {
    name: service,
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
