// The public directory API: no authentication, only public fields (name, position, department,
// agency, address) of active mailboxes.
import { type HttpApp, requireAdminToken } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { DirectoryDeps } from '../domain/deps.ts';
import { searchOperatorDirectory, searchPublicDirectory } from '../domain/directory/search-directory.ts';

const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  agency: Type.Optional(Type.String({ maxLength: 100 })),
  address: Type.Optional(Type.String({ maxLength: 254 })),
  province: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});

const EntrySchema = Type.Object({
  address: Type.String(),
  type: Type.String(),
  displayName: Type.String(),
  position: Type.Union([Type.String(), Type.Null()]),
  department: Type.Union([Type.String(), Type.Null()]),
  agencyId: Type.String(),
  agencyName: Type.String(),
  agencyAbbreviation: Type.String(),
  province: Type.String(),
});

export function registerDirectoryRoutes(
  app: HttpApp,
  deps: DirectoryDeps & { adminToken: string | undefined },
) {
  app.get(
    '/v1/directory/search',
    {
      schema: {
        summary: 'Search the public directory by name (with or without diacritics), agency or address',
        tags: ['directory'],
        querystring: SearchQuery,
        response: { 200: Type.Object({ items: Type.Array(EntrySchema) }) },
      },
    },
    async (request) => {
      const { limit, ...rest } = request.query;
      const items = await searchPublicDirectory(deps, {
        ...rest,
        limit: limit ? Number(limit) : undefined,
      });
      return { items };
    },
  );

  // The same search for operators (the console): each entry also carries its mailboxId, the key
  // of the mailbox's state and history routes.
  app.get(
    '/admin/directory/search',
    {
      onRequest: requireAdminToken(deps.adminToken),
      schema: {
        summary:
          "Operators' search: every state but deleted, with each mailbox's id and state, one page and the total",
        tags: ['directory'],
        querystring: Type.Composite([
          Type.Omit(SearchQuery, ['limit']),
          Type.Object({
            limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]{0,2}|1000)$' })),
            /** One state only (deleted too); without it every state but deleted. */
            state: Type.Optional(
              Type.Union([
                Type.Literal('provisioning'),
                Type.Literal('active'),
                Type.Literal('suspended'),
                Type.Literal('locked'),
                // asked for by name only: an operator looking for a mailbox to restore from retention
                Type.Literal('deleted'),
              ]),
            ),
            offset: Type.Optional(Type.String({ pattern: '^(?:0|[1-9][0-9]{0,6})$' })),
          }),
        ]),
      },
    },
    // `total` counts every mailbox the search finds, so a page never hides the rest.
    async (request) => {
      const { limit, offset, ...rest } = request.query;
      return searchOperatorDirectory(deps, {
        ...rest,
        limit: limit ? Number(limit) : undefined,
        offset: offset ? Number(offset) : undefined,
      });
    },
  );
}
