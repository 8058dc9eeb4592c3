// What a service does first at start: read the seed policies and the installation's own
// (PROVINCE_POLICY_DIR), check them all, and put them in force. A bad file throws a
// ProvincePolicyFileError naming the file and every path, so the service stops before it starts
// anything: nothing runs half-configured.
import type { ProvincePolicy } from './policy-types.ts';
import { loadProvincePolicies } from './province-policy-files.ts';
import { installProvincePolicies } from './registry.ts';

export function loadAndInstallProvincePolicies(extraDir: string | undefined): readonly ProvincePolicy[] {
  const policies = loadProvincePolicies({ extraDir });
  installProvincePolicies(policies);
  return policies;
}
