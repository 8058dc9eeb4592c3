// GET /v1/agencies: an agency's system learns the ids it may name in a request (itself and its
// sub-units) instead of guessing them; a sub-unit sees only itself, never its parent.
import { createAgencyClient, readDemoClients } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';

interface AgencyView {
  id: string;
  name: string;
  abbreviation: string;
  parentId: string | null;
  acting: boolean;
}

const demo = (abbreviation: string) =>
  createAgencyClient(readDemoClients().find((c) => c.abbreviation === abbreviation)!);

async function listAgencies(abbreviation: string) {
  const res = await demo(abbreviation).api('agencies');
  return { status: res.status, body: (await res.json()) as { items: AgencyView[] } };
}

describe('GET /v1/agencies', () => {
  it('when a parent agency asks, then it gets itself first and its sub-units, each with the id a request names', async () => {
    const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const child = readDemoClients().find((c) => c.parentAgencyId === stttt.agencyId)!;
    const { status, body } = await listAgencies('stttt');
    expect(status).toBe(200);
    expect(body.items[0]).toMatchObject({ id: stttt.agencyId, abbreviation: 'stttt', acting: true });
    expect(body.items).toContainEqual(
      expect.objectContaining({ id: child.agencyId, parentId: stttt.agencyId, acting: false }),
    );
    const other = readDemoClients().find((c) => c.abbreviation === 'snv')!;
    expect(body.items.map((a) => a.id)).not.toContain(other.agencyId);
  });

  it('when a sub-unit asks, then it sees itself only, not its parent', async () => {
    const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const child = readDemoClients().find((c) => c.parentAgencyId === stttt.agencyId)!;
    const { body } = await listAgencies(child.abbreviation);
    expect(body.items.map((a) => a.id)).toContain(child.agencyId);
    expect(body.items.map((a) => a.id)).not.toContain(stttt.agencyId);
  });

  it('when no token is given, then the answer is 401', async () => {
    const stttt = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const res = await fetch(`${stttt.apiUrl}/agencies`);
    expect(res.status).toBe(401);
  });
});
