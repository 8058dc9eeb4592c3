// An operator files a request for an agency (a mailbox locked after a report, a password reset on
// the phone, a paper form typed in): the same body, validation, approval rules, history, events
// and idempotency as an agency's POST /v1/requests, recorded as filed by the operator the token
// proves (`client:operator:<name>` in the item history). Used by the console's mailbox page and
// its paper-request page; a paper request keeps its PDF scan with it, downloadable here.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type HttpApp, operatorOf, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import { openCredential } from '../domain/credentials/open-credential.ts';
import { PAPER_FORMS } from '../domain/paper/check-scan.ts';
import {
  filePaperRequest,
  listRequestAttachments,
  readRequestAttachment,
} from '../domain/paper/file-paper-request.ts';
import { StringEnum, SubmitBodySchema } from '../domain/requests/submission.ts';
import { type SubmitDeps, submitRequest } from '../domain/requests/submit-request.ts';
import { retryOnIdempotencyRace } from '../domain/validation/idempotency.ts';
import { SubmitRouteSchema } from './schemas.ts';

const Uuid = Type.String({ format: 'uuid' });

export function registerOperatorRequestRoutes(
  app: HttpApp,
  deps: {
    adminToken: string | undefined;
    /** What filing a request needs (db, clock, ids, keys, policies). */
    submit: SubmitDeps;
    /** Largest PDF scan of a paper request (SCAN_MAX_BYTES). */
    scanMaxBytes: number;
  },
) {
  const { submit } = deps;
  app.register(async (plugin) => {
    const admin = plugin.withTypeProvider<TypeBoxTypeProvider>();
    admin.addHook('onRequest', requireAdminToken(deps.adminToken));
    admin.post(
      '/admin/operator-requests',
      {
        schema: {
          summary: 'File a request for an agency as an operator (same rules as POST /v1/requests)',
          tags: ['admin'],
          headers: SubmitRouteSchema.headers,
          body: SubmitRouteSchema.body,
        },
      },
      async (request, reply) => {
        const operator = operatorOf(request, undefined);
        const principal = { clientId: `operator:${operator}`, agencyId: request.body.agencyId };
        const answer = await retryOnIdempotencyRace(() =>
          submitRequest(submit, {
            principal,
            idempotencyKey: request.headers['idempotency-key'],
            body: request.body,
          }),
        );
        return reply.status(202).send(answer);
      },
    );

    admin.post(
      '/admin/paper-requests',
      {
        // base64 makes the scan a third larger; the rest of the form fits in the 1 MiB of the others
        bodyLimit: Math.ceil(deps.scanMaxBytes / 3) * 4 + 1_048_576,
        schema: {
          summary:
            "Enter an agency's paper request (Mẫu 01/02/03, Bắc Ninh's Phụ lục 2) with its PDF scan, as an operator",
          description:
            "The body of POST /v1/requests (the letter's number and date are `reference`) plus the form and the scan. The same validation, approval rules, history, events and idempotency as the agency's own request; the scan (a PDF, checked by its first bytes, at most SCAN_MAX_BYTES) is stored with the request in the same transaction.",
          tags: ['admin'],
          headers: SubmitRouteSchema.headers,
          body: Type.Object(
            {
              ...SubmitBodySchema.properties,
              form: StringEnum(PAPER_FORMS, {
                description: 'mau01 create, mau02 change, mau03 delete, bn_pl2 Bắc Ninh Phụ lục 2',
              }),
              scan: Type.Object(
                {
                  fileName: Type.String({ minLength: 1, maxLength: 255 }),
                  content: Type.String({ minLength: 1, description: 'the PDF, base64' }),
                },
                { additionalProperties: false },
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (request, reply) => {
        const { form, scan, ...body } = request.body;
        const answer = await filePaperRequest(
          { ...submit, scanMaxBytes: deps.scanMaxBytes },
          {
            operator: operatorOf(request, undefined),
            idempotencyKey: request.headers['idempotency-key'],
            form,
            scan,
            body,
          },
        );
        return reply.status(202).send(answer);
      },
    );

    admin.get(
      '/admin/requests/:id/attachments',
      {
        schema: {
          summary: "A request's paper scans (without their bytes)",
          tags: ['admin'],
          params: Type.Object({ id: Uuid }),
        },
      },
      async (request) => listRequestAttachments(submit, { requestId: request.params.id }),
    );

    admin.get(
      '/admin/requests/:id/attachments/:attachmentId',
      {
        schema: {
          summary: "Download a request's paper scan (application/pdf)",
          tags: ['admin'],
          params: Type.Object({ id: Uuid, attachmentId: Uuid }),
        },
      },
      async (request, reply) => {
        const scan = await readRequestAttachment(submit, {
          requestId: request.params.id,
          attachmentId: request.params.attachmentId,
        });
        return reply
          .type(scan.contentType)
          .header(
            'content-disposition',
            `attachment; filename="scan.pdf"; filename*=UTF-8''${encodeURIComponent(scan.fileName)}`,
          )
          .send(scan.content);
      },
    );

    admin.post(
      '/admin/operator-requests/:id/items/:itemId/credential',
      {
        schema: {
          summary:
            'Open, once, the new password of an item an operator filed (a reset on a report), to give to its holder',
          tags: ['admin'],
          params: Type.Object({ id: Uuid, itemId: Uuid }),
          body: Type.Object({}, { additionalProperties: false }),
        },
      },
      async (request) =>
        openCredential(
          { ...submit, logger: request.log },
          {
            principal: { operator: operatorOf(request, undefined) },
            requestId: request.params.id,
            itemId: request.params.itemId,
          },
        ),
    );
  });
}
