// The one-time credential link of a created mailbox: it opens once; every later open, and every
// open that lost a race with the first, answers 410, so two of an agency's systems never both hold
// the password. Runs on the whole stack (the item must complete on the mail server first).
import { createAgencyClient } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import { demo, person, requestBody, useRequests } from './security-helpers.ts';

useRequests();

describe('GET /v1/requests/{id}/items/{itemId}/credential', () => {
  it('when the link is opened several times at once, then exactly one open gets the password and every other open, then and later, gets 410', async () => {
    const stttt = createAgencyClient(demo('stttt'));
    const body = requestBody(demo('stttt').agencyId, [
      { operation: 'create', mailboxType: 'personal', person: person() },
    ]);
    const submitted = await stttt.submit(body);
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const finished = await stttt.waitFinished(submitted.body.id);
    expect(finished.status, JSON.stringify(finished)).toBe('completed');
    const item = finished.items[0]!;
    expect(item.credentialUrl).toBe(
      `${demo('stttt').apiUrl}/requests/${finished.id}/items/${item.id}/credential`,
    );

    const opens = await Promise.all(
      Array.from({ length: 5 }, () => stttt.openCredential(item.credentialUrl!)),
    );

    const winners = opens.filter((o) => 'password' in o);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual({ address: item.address, password: expect.any(String) });
    expect(opens.filter((o) => !('password' in o))).toEqual(Array(4).fill({ status: 410 }));
    expect(await stttt.openCredential(item.credentialUrl!)).toEqual({ status: 410 });
    // the link stays on the item, so the agency sees it existed
    expect((await stttt.get(finished.id)).items[0]!.credentialUrl).toBe(item.credentialUrl);
  });
});
