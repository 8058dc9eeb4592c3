// Operator tokens in a test's own process (issue 14): a signing key of the test's own that this
// process's admin guards trust, as a running service trusts the console's key (OPERATOR_JWKS_URL),
// and the three calls every service's admin API must answer alike when ADMIN_TOKEN is unset.
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet } from 'jose';
import {
  type OperatorSigner,
  operatorSigner,
  operatorTokenVerifier,
  signOperatorToken,
  trustOperatorTokens,
} from './operator-token.ts';
import { testAdminToken } from './test-services.ts';

export interface TestOperators {
  signer: OperatorSigner;
  /** `Bearer <token>` the console would send for this operator. */
  bearer(name: string, role?: string): Promise<string>;
}

/**
 * Makes this process's admin guards trust the operator tokens of a key made for the test, or of
 * `signingKey` (`kid:seed`, e.g. the installation's OPERATOR_SIGNING_KEY, which the stack trusts).
 */
export function trustTestOperators(
  signingKey = `test:${randomBytes(32).toString('base64url')}`,
): TestOperators {
  const signer = operatorSigner(signingKey);
  trustOperatorTokens(operatorTokenVerifier(createLocalJWKSet(signer.jwks)));
  return {
    signer,
    bearer: async (name, role = 'approver') => `Bearer ${await signOperatorToken(signer, { name, role })}`,
  };
}

interface Injectable {
  inject(options: {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    headers: Record<string, string>;
    payload?: string | object;
  }): PromiseLike<{ statusCode: number }>;
}

/**
 * The statuses an admin route of an in-process app answers: with the installation's static token
 * (and an X-Operator header), with an X-Operator header alone, and with an operator's token. An app
 * built without ADMIN_TOKEN must answer 401, 401 and the route's own success.
 */
export async function adminGuardAnswers(
  app: Injectable,
  operators: TestOperators,
  route: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; url: string; payload?: object },
): Promise<{ staticToken: number; operatorHeader: number; operatorToken: number }> {
  const call = async (headers: Record<string, string>) =>
    (await app.inject({ ...route, headers })).statusCode;
  return {
    staticToken: await call({ authorization: `Bearer ${testAdminToken}`, 'x-operator': 'op.an' }),
    operatorHeader: await call({ 'x-operator': 'op.an' }),
    operatorToken: await call({ authorization: await operators.bearer('op.an') }),
  };
}
