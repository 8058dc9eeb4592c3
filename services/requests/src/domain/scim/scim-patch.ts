// SCIM PATCH (RFC 7644 §3.5.2), applied by scim-patch to the User as hopthu answers it; the result
// goes through the same reading as a PUT, so a PATCH can do nothing a PUT could not. Providers'
// habits are accepted: `op` in any case ("Replace"), no `path` with a value object whose keys are
// paths ("name.givenName", "urn:…:enterprise:2.0:User:department"), and "True"/"False" strings for
// booleans (read by readUserInput). A malformed PATCH is `400 invalidSyntax`, a path that names
// nothing `400 invalidPath` or `noTarget`. Pure.
import {
  patchBodyValidation,
  type ScimPatch,
  type ScimPatchOperation,
  ScimError,
  scimPatch,
} from 'scim-patch';
import { SCIM } from './scim-discovery.ts';
import { type ScimType, scimError } from './scim-errors.ts';

const SCIM_TYPES = new Set<ScimType>([
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'mutability',
]);

function refused(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof ScimError ? err.scimCode : undefined;
  const scimType: ScimType = code && SCIM_TYPES.has(code as ScimType) ? (code as ScimType) : 'invalidSyntax';
  throw scimError(400, scimType, {
    vi: `Yêu cầu PATCH không hợp lệ: ${message}`,
    en: `The PATCH request is invalid: ${message}`,
  });
}

/** The resource after the PATCH body's operations, or a SCIM error; `resource` is not changed. */
export function applyScimPatch(resource: Record<string, unknown>, body: unknown): Record<string, unknown> {
  const patch = body as ScimPatch;
  try {
    patchBodyValidation(patch);
  } catch (err) {
    refused(err);
  }
  if (!patch.schemas.includes(SCIM.patch)) refused(new Error(`schemas must include ${SCIM.patch}`));
  const operations = patch.Operations.map((o) => ({
    ...o,
    op: String(o.op).toLowerCase(),
  })) as ScimPatchOperation[];
  try {
    return scimPatch(structuredClone(resource) as never, operations) as unknown as Record<string, unknown>;
  } catch (err) {
    refused(err);
  }
}
