// Per-province rules from the province policy files: the copy of a result goes where the agency's
// province says (Kiên Giang Điều 5 khoản 3: sttt@kiengiang.gov.vn; Thanh Hóa: nobody), and a
// service given a broken policy file stops at start naming the file and the path.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildEvent, type RequestFinished, Topics } from '@hopthu/shared/events';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryView } from '../src/db/delivery-repository.ts';
import {
  admin,
  createPublisher,
  ensureNotifier,
  mainPath,
  type NotifierProcess,
  repoRoot,
} from './helpers.ts';

let notifier: NotifierProcess;
let publisher: Awaited<ReturnType<typeof createPublisher>>;
let call: ReturnType<typeof admin>;

async function arrangeAgency(province: string, domain: string) {
  const agencyId = `pp-agency-${randomUUID()}`;
  await publisher.publish(
    Topics.directory,
    agencyId,
    buildEvent(
      'vn.gov.hopthu.directory.agency.v1',
      {
        agencyId,
        province,
        domain,
        name: 'Sở Nội vụ (thử nghiệm)',
        abbreviation: 'SNV',
        parentId: null,
        unitType: 'department',
        officialMailbox: `snv-${agencyId.slice(-8)}@${domain}`,
        ancestorIds: [agencyId],
      },
      { source: 'notifier-test', subject: agencyId },
    ),
  );
  await waitFor(async () => (await call('GET', `/admin/agencies/${agencyId}`)).status === 200, {
    what: 'agency replicated',
  });
  return agencyId;
}

async function finish(
  agencyId: string,
  province: string,
  domain: string,
  filerAgencyId?: string,
): Promise<string> {
  const requestId = randomUUID();
  const finished: RequestFinished = {
    requestId,
    agencyId,
    ...(filerAgencyId ? { filerAgencyId } : {}),
    province,
    status: 'completed',
    receivedAt: '2026-11-20T02:15:00.000Z',
    dueAt: '2026-11-24T17:00:00.000Z',
    finishedAt: new Date().toISOString(),
    reference: { number: `${Math.floor(Math.random() * 100_000)}/SNV-VP`, date: '2026-11-20' },
    requestUrl: `http://127.0.0.1:3001/v1/requests/${requestId}`,
    items: [
      {
        itemId: randomUUID(),
        operation: 'create',
        mailboxType: 'personal',
        status: 'completed',
        address: `tvnam.snv@${domain}`,
        displayName: 'Trần Văn Nam',
        hasCredential: true,
      },
    ],
  };
  await publisher.publish(
    Topics.requests,
    requestId,
    buildEvent('vn.gov.hopthu.request.finished.v1', finished, {
      source: 'notifier-test',
      subject: requestId,
    }),
  );
  return requestId;
}

async function deliveriesOf(requestId: string): Promise<DeliveryView[]> {
  const res = await call<{ deliveries: DeliveryView[] }>('GET', `/admin/deliveries?requestId=${requestId}`);
  return res.body.deliveries;
}

describe('the copy of a result, per province', () => {
  beforeAll(async () => {
    notifier = await ensureNotifier();
    call = admin(notifier.url);
    publisher = await createPublisher();
  });

  afterAll(async () => {
    await publisher?.close();
    await notifier?.stop();
  });

  it('when a Kiên Giang request finishes, then a copy goes to sttt@kiengiang.gov.vn; a Thanh Hóa one gets none', async () => {
    const kienGiang = await arrangeAgency('kien-giang', 'kiengiang.gov.vn');
    const thanhHoa = await arrangeAgency('thanh-hoa', 'thanhhoa.gov.vn');
    const kgRequest = await finish(kienGiang, 'kien-giang', 'kiengiang.gov.vn');
    const thRequest = await finish(thanhHoa, 'thanh-hoa', 'thanhhoa.gov.vn');

    const kg = await waitFor(
      async () => {
        const ds = await deliveriesOf(kgRequest);
        return ds.some((d) => d.purpose === 'result_copy') ? ds : null;
      },
      { what: 'Kiên Giang deliveries' },
    );
    const copy = kg.find((d) => d.purpose === 'result_copy');
    expect(copy).toMatchObject({ kind: 'mail', target: 'sttt@kiengiang.gov.vn' });

    const th = await waitFor(
      async () => {
        const ds = await deliveriesOf(thRequest);
        return ds.some((d) => d.purpose === 'result_agency') ? ds : null;
      },
      { what: 'Thanh Hóa deliveries' },
    );
    expect(th.map((d) => d.purpose)).toEqual(['result_agency']);
  });
});

describe('a broken province policy file', () => {
  it('when PROVINCE_POLICY_DIR holds a bad file, then the notifier exits at start naming the file and the path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'provinces-'));
    const json = JSON.parse(
      readFileSync(path.join(repoRoot, 'packages/naming/provinces/kien-giang.json'), 'utf8'),
    );
    json.resultCopy.address = 'sttt';
    const file = path.join(dir, 'kien-giang.json');
    writeFileSync(file, JSON.stringify(json));

    const child = spawn(process.execPath, [mainPath], {
      // The policies are read before anything connects: a database nobody listens on, and a token
      // for a process that never serves, are enough to show it.
      env: {
        ...process.env,
        PORT: '0',
        PROVINCE_POLICY_DIR: dir,
        DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
        ADMIN_TOKEN: randomUUID(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(code).toBe(1);
    expect(output).toContain(`invalid province policy ${file}`);
    expect(output).toContain('/resultCopy/address');
    expect(output).not.toContain('"msg":"listening"');
  });
});

describe('a request a parent agency filed for its sub-unit', () => {
  beforeAll(async () => {
    notifier = await ensureNotifier();
    call = admin(notifier.url);
    publisher = await createPublisher();
  });

  afterAll(async () => {
    await publisher?.close();
    await notifier?.stop();
  });

  it('when it finishes, then the result goes to the filer and a copy to the sub-unit', async () => {
    const parent = await arrangeAgency('bac-ninh', 'bacninh.gov.vn');
    const subunit = await arrangeAgency('bac-ninh', 'bacninh.gov.vn');
    const parentBox = (await call<{ officialMailbox: string }>('GET', `/admin/agencies/${parent}`)).body
      .officialMailbox;
    const subunitBox = (await call<{ officialMailbox: string }>('GET', `/admin/agencies/${subunit}`)).body
      .officialMailbox;
    const requestId = await finish(subunit, 'bac-ninh', 'bacninh.gov.vn', parent);
    const ds = await waitFor(
      async () => {
        const found = await deliveriesOf(requestId);
        return found.some((d) => d.purpose === 'result_subunit') ? found : null;
      },
      { what: 'deliveries of the filed request' },
    );
    expect(ds.find((d) => d.purpose === 'result_agency')).toMatchObject({ kind: 'mail', target: parentBox });
    expect(ds.find((d) => d.purpose === 'result_subunit')).toMatchObject({
      kind: 'mail',
      target: subunitBox,
    });
  });
});
