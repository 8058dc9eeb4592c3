// OpenAPI 3.1 of the agency API, generated from the TypeBox schemas that validate the routes,
// served at /docs (UI) and /docs/json (the document). Admin routes are hidden.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

export function registerApiDocs(app: FastifyInstance, publicUrl: string) {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'hopthu agency API',
        version: '1',
        description:
          'Official mailbox requests for state agencies (design §3.1). Errors are RFC 9457 problem+json with a Vietnamese and an English message and the path of each failing field. See docs/api.md.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    },
  });
  app.register(swaggerUi, { routePrefix: '/docs' });
}
