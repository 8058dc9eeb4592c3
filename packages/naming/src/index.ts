// @hopthu/naming: the pure mailbox-naming policies of the provinces. No infrastructure imports; the
// directory service gives it structured names and a taken-check and gets candidates or a choice.
export {
  type AddressChoice,
  chooseAddress,
  chooseAddresses,
  generateCandidates,
  groupAddress,
  type IsTaken,
  MAX_ATTEMPTS,
  type NamingInput,
  servingOrder,
} from './choose.ts';
export {
  isNamingError,
  type LocalizedMessage,
  NamingError,
  type NamingErrorCode,
  type NamingErrorDetail,
} from './errors.ts';
export { foldToAscii, isValidLocalPart, MAX_LOCAL_PART_LENGTH } from './fold.ts';
export {
  type ForwardingVerdict,
  isStateBodyDomain,
  judgeForwardingTarget,
  STATE_BODY_DOMAIN,
} from './forwarding.ts';
export {
  addCalendarMonths,
  type InactivityVerdict,
  inactivityDueAt,
  inactivityQueryBound,
  judgeInactivity,
  lastUse,
  type MailboxUse,
} from './inactivity.ts';
export {
  checkPassword,
  MAX_PASSWORD_BYTES,
  type PasswordContext,
  type PasswordViolation,
  type PasswordViolationCode,
} from './password.ts';
export {
  deriveAbbreviation,
  deriveAbbreviationVariants,
  foldPersonName,
  type FoldedPersonName,
  type PersonName,
} from './name-parts.ts';
export {
  generatePersonalCandidates,
  type PersonalInput,
  type PersonalPlan,
  personalCandidates,
  planPersonalAddress,
} from './personal.ts';
export type {
  ActivityKind,
  CollisionStrategy,
  FilingDeadlineRule,
  ForwardingRule,
  PlannedDowntimeRule,
  DefaultPasswordLockRule,
  FirstLoginChangeRule,
  GroupAddressRule,
  InactivityRule,
  PasswordRule,
  PersonalRule,
  ProvinceApprovalRule,
  ProvincePolicy,
  ResultCopyRule,
  RetentionRule,
  SlaRule,
  UnitRule,
  UnitType,
} from './policies/policy-types.ts';
export { UNIT_TYPES } from './policies/policy-types.ts';
export {
  findPolicy,
  findPolicyByDomain,
  getPolicy,
  installProvincePolicies,
  listPolicies,
  validatePolicy,
} from './policies/registry.ts';
export { loadAndInstallProvincePolicies } from './policies/install-province-policies.ts';
export { formatProblems, type PolicyProblem, parseProvincePolicy } from './policies/parse-province-policy.ts';
export {
  type CheckedPolicyFile,
  checkProvincePolicyFile,
  loadProvincePolicies,
  loadProvincePolicyFile,
  ProvincePolicyFileError,
  SEED_POLICY_DIR,
} from './policies/province-policy-files.ts';
export {
  type ProvincePolicyFile,
  ProvincePolicyFileSchema,
  publishedProvincePolicySchema,
} from './policies/province-policy-schema.ts';
export { DEFAULT_RESERVED_LOCAL_PARTS } from './policies/reserved.ts';
export { GB, MB } from './policies/sizes.ts';
export {
  addDays,
  DEFAULT_DELETED_MAIL_DAYS,
  type DeletedMailWindow,
  deletedMailDaysFor,
  deletedMailWindow,
  isRetentionDay,
  purgeDayFor,
  utcDay,
} from './retention.ts';
export { rankOfPerson, rankOfPosition, UNRECOGNISED_POSITION_RANK } from './rank.ts';
export {
  type ParsedNamingRequest,
  parseNamingRequest,
  proposeAddress,
  proposeAddresses,
  type ProposalOutput,
} from './request.ts';
export {
  generateUnitCandidates,
  planUnitAddress,
  type UnitDescription,
  type UnitInput,
  type UnitPlan,
  unitCandidates,
} from './unit.ts';
