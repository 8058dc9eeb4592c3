// Local parts that no person or unit may get: the role addresses RFC 2142 and mail software expect,
// and common service names that would mislead the public if a person held them.

export const DEFAULT_RESERVED_LOCAL_PARTS: readonly string[] = Object.freeze([
  'abuse',
  'admin',
  'administrator',
  'hostmaster',
  'info',
  'internal',
  'mailer-daemon',
  'no-reply',
  'nobody',
  'noreply',
  'postmaster',
  'root',
  'security',
  'support',
  'webmaster',
]);
