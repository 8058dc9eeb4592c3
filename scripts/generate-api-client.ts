// Regenerates the API contract files from the running services: each service's OpenAPI document as
// published (docs/openapi/requests.json, what agency developers generate their own clients from;
// docs/openapi/directory.json, the directory's admin API) and the TypeScript types of it
// (packages/shared/src/generated/<service>-api.ts) that the project's own agency client and the
// console are typed with. test/openapi.test.ts fails while any of them is stale, so a change to a
// route that is not regenerated here cannot land.
//   node scripts/generate-api-client.ts [service…]   (default: every one; <SERVICE>_URL or the local port)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { serviceUrl } from '../packages/shared/src/test-services.ts';
import { API_CONTRACTS, apiTypes } from '../packages/shared/src/generated/generate.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const wanted = process.argv.slice(2);
for (const contract of API_CONTRACTS) {
  if (wanted.length > 0 && !wanted.includes(contract.service)) continue;
  const base = serviceUrl(contract.service);
  const res = await fetch(`${base}/docs/json`);
  if (!res.ok) throw new Error(`${base}/docs/json answered ${res.status}`);
  const document = (await res.json()) as Record<string, unknown>;
  writeFileSync(path.join(root, contract.document), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(path.join(root, contract.types), await apiTypes(document, contract.document));
  console.log(`wrote ${contract.document} and ${contract.types}`);
}
