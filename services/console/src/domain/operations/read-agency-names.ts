// Agency names for the ids a page shows, from the directory (current version of each). An agency
// the directory cannot name is shown by its id.
import type { ConsoleDeps } from '../deps.ts';

interface Versions {
  items?: { name: string; abbreviation: string; validTo: string | null }[];
}

export async function readAgencyNames(
  deps: Pick<ConsoleDeps, 'upstreams'>,
  ids: Iterable<string>,
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)].slice(0, 100);
  const names = new Map<string, string>();
  await Promise.all(
    unique.map(async (id) => {
      try {
        const answer = await deps.upstreams.directory.get<Versions>(
          `/admin/agencies/${encodeURIComponent(id)}/versions`,
        );
        const items = answer.status === 200 ? (answer.body.items ?? []) : [];
        const current = items.find((v) => v.validTo === null) ?? items.at(-1);
        if (current) names.set(id, current.name);
      } catch {
        // the page still shows the id
      }
    }),
  );
  return names;
}
