// Operator route for the default-password lock (Kiên Giang Điều 10 khoản 3): run the sweep now, or
// as of a given instant (`asOf`, e.g. to see what the sweep of a past or coming day locks; judged
// against the real data, so an operator can re-run a missed day).
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { DirectoryDeps } from '../domain/deps.ts';
import { sweepDefaultPasswords } from '../domain/passwords/sweep-default-passwords.ts';

const SweepQuery = Type.Object(
  {
    province: Type.Optional(Type.String({ maxLength: 64 })),
    asOf: Type.Optional(Type.String({ format: 'date-time' })),
    /** One mailbox only (an operator checking a case). */
    mailboxId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  { additionalProperties: false },
);

export function registerAdminPasswordRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  app.post(
    '/admin/default-passwords/sweep',
    {
      onRequest: requireAdminToken(deps.adminToken),
      schema: {
        summary: 'Run the default-password lock sweep now (Kiên Giang 10.4)',
        tags: ['passwords'],
        querystring: SweepQuery,
      },
    },
    async (request) =>
      sweepDefaultPasswords(deps, {
        province: request.query.province,
        asOf: request.query.asOf ? new Date(request.query.asOf) : undefined,
        mailboxId: request.query.mailboxId,
      }),
  );
}
