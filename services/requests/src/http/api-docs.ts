// The requests service's OpenAPI 3.1 document (/docs, /docs/json): the agency API, the token
// endpoint, self-service and the operators' admin routes, described by the shared set-up.
import { registerApiDocs as registerSharedApiDocs } from '@hopthu/shared/openapi';
import type { FastifyInstance } from 'fastify';

export function registerApiDocs(app: FastifyInstance, publicUrl: string) {
  registerSharedApiDocs(app, {
    title: 'hopthu requests API',
    description:
      "Official mailbox requests for state agencies: an agency's system authenticates with OAuth 2.0 client credentials and private_key_jwt, submits requests mirroring the paper forms (Mẫu 01 create, Mẫu 02 change, Mẫu 03 delete), reads their progress and opens one-time credentials. Errors are RFC 9457 problem+json with a Vietnamese and an English message and the path of each failing field. See docs/api.md.",
    publicUrl,
    agencyTokenUrl: `${publicUrl.replace(/\/+$/, '')}/oauth/token`,
    tags: [
      {
        name: 'auth',
        description: 'Access tokens for agency systems (OAuth 2.0, private_key_jwt) and the signing keys',
      },
      { name: 'requests', description: 'Requests of agencies: submit, read, one-time credentials' },
      { name: 'agencies', description: 'The acting agency and its sub-units' },
      { name: 'self-service', description: 'Mailbox holders change their own password' },
      { name: 'admin', description: "Operators' routes (admin bearer): clients, agencies, approvals" },
    ],
  });
}
