// Kiên Giang Điều 4 khoản 3 on the real stack: namesakes of one request are served by rank (the
// higher position keeps the plain form, tvnam.sttt; the others are numbered), whatever order the
// items come in; an existing holder is never renamed; a batch whose count is unknown is served
// once it has settled.
import { randomUUID } from 'node:crypto';
import { buildEvent } from '@hopthu/shared/events';
import { describe, expect, it } from 'vitest';
import {
  commandFor,
  createPerson,
  itemApproved,
  mailboxState,
  publish,
  randomLetters,
  registerTestAgency,
  TEST_HASH,
  useDirectory,
} from './helpers.ts';

const t = useDirectory();

function submitted(requestId: string, agencyId: string, itemCount: number) {
  const now = new Date();
  return buildEvent(
    'vn.gov.hopthu.request.submitted.v1',
    {
      requestId,
      agencyId,
      province: 'kien-giang',
      receivedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + 3 * 24 * 3600 * 1000).toISOString(),
      reference: { number: '12/CV-STTTT', date: '2026-11-20' },
      itemCount,
    },
    { source: 'urn:hopthu:test', subject: requestId, correlationId: requestId },
  );
}

function createItem(requestId: string, agencyId: string, person: Record<string, unknown>) {
  return itemApproved({
    requestId,
    province: 'kien-giang',
    agencyId,
    operation: 'create',
    mailboxType: 'personal',
    person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam', ...person },
    passwordHash: TEST_HASH,
  });
}

describe('Kiên Giang: rank within one request', () => {
  it('when a specialist is listed before the director of the same name, then the director gets tvnam and the specialist tvnam1', async () => {
    const agency = await registerTestAgency({ province: 'kien-giang' });
    const requestId = randomUUID();
    const specialist = createItem(requestId, agency.agencyId, { position: 'Chuyên viên' });
    const director = createItem(requestId, agency.agencyId, { position: 'Giám đốc' });
    const deputy = createItem(requestId, agency.agencyId, { position: 'Phó Giám đốc' });
    await publish(t.bus, [submitted(requestId, agency.agencyId, 3), specialist, deputy, director]);
    const at = (local: string) => `${local}.${agency.abbreviation}@kiengiang.gov.vn`;
    expect((await commandFor(t.collector, director.data.itemId)).data.address).toBe(at('tvnam'));
    expect((await commandFor(t.collector, deputy.data.itemId)).data.address).toBe(at('tvnam1'));
    expect((await commandFor(t.collector, specialist.data.itemId)).data.address).toBe(at('tvnam2'));
  });

  it('when someone already holds tvnam, then a higher-ranked newcomer is numbered and the holder keeps the address', async () => {
    const agency = await registerTestAgency({ province: 'kien-giang' });
    const holder = await createPerson(
      t.bus,
      t.collector,
      agency,
      { familyName: 'Trần', middleName: 'Văn', givenName: 'Nam', position: 'Văn thư' },
      'kien-giang',
    );
    expect(holder.data.address).toBe(`tvnam.${agency.abbreviation}@kiengiang.gov.vn`);
    const requestId = randomUUID();
    const director = createItem(requestId, agency.agencyId, { position: 'Giám đốc' });
    await publish(t.bus, [submitted(requestId, agency.agencyId, 1), director]);
    expect((await commandFor(t.collector, director.data.itemId)).data.address).toBe(
      `tvnam1.${agency.abbreviation}@kiengiang.gov.vn`,
    );
    expect((await mailboxState(holder.data.mailboxId)).address).toBe(holder.data.address);
  });

  it('when the request count is unknown, then the batch is served by rank once it settles, an explicit rank winning over the position', async () => {
    const agency = await registerTestAgency({ province: 'kien-giang' });
    const requestId = randomUUID();
    const given = `Nam${randomLetters(4)}`;
    const first = createItem(requestId, agency.agencyId, { givenName: given, position: 'Giám đốc' });
    const ranked = createItem(requestId, agency.agencyId, {
      givenName: given,
      position: 'Chuyên viên',
      rank: 1,
    });
    await publish(t.bus, [first, ranked]);
    const plain = `tv${given.toLowerCase()}.${agency.abbreviation}@kiengiang.gov.vn`;
    expect((await commandFor(t.collector, ranked.data.itemId)).data.address).toBe(plain);
    expect((await commandFor(t.collector, first.data.itemId)).data.address).toBe(plain.replace('.', '1.'));
  });
});
