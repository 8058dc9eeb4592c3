// Operator routes for a province's domains: list them (with their history), add or remove an alias
// domain. Who (body `operator` or header X-Operator) and why (`reason`) are kept in the history.
import { type HttpApp, OPERATOR_NAME_PATTERN, operatorOf, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { DirectoryDeps } from '../domain/deps.ts';
import {
  addAliasDomain,
  describeProvinceDomains,
  removeAliasDomain,
} from '../domain/domains/manage-alias-domains.ts';

const ProvinceParams = Type.Object({
  province: Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*$', maxLength: 64 }),
});
const DomainParams = Type.Object({
  province: Type.String({ pattern: '^[a-z]+(?:-[a-z]+)*$', maxLength: 64 }),
  domain: Type.String({ minLength: 3, maxLength: 253 }),
});
const AddBody = Type.Object(
  {
    domain: Type.String({ minLength: 3, maxLength: 253 }),
    reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }),
    operator: Type.Optional(Type.String({ pattern: OPERATOR_NAME_PATTERN })),
  },
  { additionalProperties: false },
);
const RemoveBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S' }),
    operator: Type.Optional(Type.String({ pattern: OPERATOR_NAME_PATTERN })),
  },
  { additionalProperties: false },
);

export function registerAdminDomainRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  const onRequest = requireAdminToken(deps.adminToken);

  app.get(
    '/admin/provinces/:province/domains',
    {
      onRequest,
      schema: {
        summary: "A province's primary and alias domains",
        tags: ['domains'],
        params: ProvinceParams,
      },
    },
    async (request) => describeProvinceDomains(deps, request.params.province),
  );

  app.post(
    '/admin/provinces/:province/alias-domains',
    {
      onRequest,
      schema: {
        summary: 'Add an alias domain to a province (mail to x@alias reaches x@primary)',
        tags: ['domains'],
        params: ProvinceParams,
        body: AddBody,
      },
    },
    async (request, reply) => {
      const result = await addAliasDomain(deps, {
        province: request.params.province,
        domain: request.body.domain,
        reason: request.body.reason,
        operator: operatorOf(request, request.body),
      });
      reply.code(result.created ? 201 : 200);
      return result;
    },
  );

  app.delete(
    '/admin/provinces/:province/alias-domains/:domain',
    {
      onRequest,
      schema: {
        summary: 'Remove an alias domain from a province',
        tags: ['domains'],
        params: DomainParams,
        body: RemoveBody,
      },
    },
    async (request) =>
      removeAliasDomain(deps, {
        province: request.params.province,
        domain: request.params.domain,
        reason: request.body.reason,
        operator: operatorOf(request, request.body),
      }),
  );
}
