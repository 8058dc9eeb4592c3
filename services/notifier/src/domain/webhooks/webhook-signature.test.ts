import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './webhook-signature.ts';

// The example of the Standard Webhooks specification and its reference libraries.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('signWebhook', () => {
  it('when given the specification example, then it produces the specification signature', () => {
    expect(signWebhook(SPEC)).toBe(SPEC.signature);
  });

  it('when computed by hand as base64(HMAC-SHA256(key bytes, "id.timestamp.body")), then it matches', () => {
    const key = Buffer.from(SPEC.secret.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${SPEC.id}.${SPEC.timestamp}.${SPEC.body}`)
      .digest('base64');
    expect(signWebhook(SPEC)).toBe(`v1,${mac}`);
  });

  it('when the body carries Vietnamese text, then the UTF-8 bytes are signed', () => {
    const body = '{"ten":"Sở Thông tin và Truyền thông"}';
    const key = Buffer.from(SPEC.secret.slice(6), 'base64');
    const mac = createHmac('sha256', key)
      .update(Buffer.from(`a.1.${body}`, 'utf8'))
      .digest('base64');
    expect(signWebhook({ secret: SPEC.secret, id: 'a', timestamp: 1, body })).toBe(`v1,${mac}`);
  });
});

describe('verifyWebhook', () => {
  const headers = webhookHeaders(SPEC);

  it('when headers come from webhookHeaders, then a receiver accepts them', () => {
    expect(headers['webhook-signature']).toBe(SPEC.signature);
    expect(verifyWebhook({ secret: SPEC.secret, headers, body: SPEC.body, nowSeconds: SPEC.timestamp })).toBe(
      true,
    );
  });

  it('when the body was changed, then the signature fails', () => {
    expect(
      verifyWebhook({ secret: SPEC.secret, headers, body: '{"test": 1}', nowSeconds: SPEC.timestamp }),
    ).toBe(false);
  });

  it('when the timestamp is too old, then the signature fails', () => {
    expect(
      verifyWebhook({ secret: SPEC.secret, headers, body: SPEC.body, nowSeconds: SPEC.timestamp + 600 }),
    ).toBe(false);
  });

  it('when several signatures are given, then one valid one is enough', () => {
    const multi = { ...headers, 'webhook-signature': `v1,bm90LXRoaXM= ${SPEC.signature}` };
    expect(
      verifyWebhook({ secret: SPEC.secret, headers: multi, body: SPEC.body, nowSeconds: SPEC.timestamp }),
    ).toBe(true);
  });
});

describe('isValidWebhookSecret', () => {
  it('accepts whsec_ secrets and refuses others', () => {
    expect(isValidWebhookSecret(SPEC.secret)).toBe(true);
    expect(isValidWebhookSecret('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toBe(false);
    expect(isValidWebhookSecret('whsec_c2hvcnQ=')).toBe(false);
    expect(isValidWebhookSecret('whsec_not base64!')).toBe(false);
  });
});
