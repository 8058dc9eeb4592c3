// What the SCIM endpoint says about itself (RFC 7644 §4, RFC 7643 §5–7): ServiceProviderConfig,
// ResourceTypes and Schemas, describing exactly what hopthu supports: Users (a person and their
// personal mailbox; names cannot change, the address is assigned by the province's naming rule),
// Groups read-only (the agency and its sub-units), filtering, PATCH, ETags; no bulk, no sort, no
// password change (a mailbox's password is a one-time credential of the agency API). Pure.

export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  mailbox: 'urn:hopthu:scim:schemas:extension:mailbox:1.0:User',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** The largest `count` a list answers with (a bigger one is cut to it, RFC 7644 §3.4.2.4). */
export const MAX_PAGE = 200;

type Mutability = 'readOnly' | 'readWrite' | 'immutable';

interface AttrOptions {
  required?: boolean;
  mutability?: Mutability;
  type?: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued?: boolean;
  caseExact?: boolean;
  uniqueness?: 'none' | 'server';
  subAttributes?: Record<string, unknown>[];
  referenceTypes?: string[];
}

const attr = (name: string, description: string, o: AttrOptions = {}) => ({
  name,
  type: o.type ?? 'string',
  multiValued: o.multiValued ?? false,
  description,
  required: o.required ?? false,
  caseExact: o.caseExact ?? false,
  mutability: o.mutability ?? 'readWrite',
  returned: 'default',
  uniqueness: o.uniqueness ?? 'none',
  ...(o.subAttributes ? { subAttributes: o.subAttributes } : {}),
  ...(o.referenceTypes ? { referenceTypes: o.referenceTypes } : {}),
});

const USER_ATTRIBUTES = [
  attr('userName', "The identity provider's name for the person, unique within the agency", {
    required: true,
    uniqueness: 'server',
  }),
  attr('name', 'The name as the forms have it: family, middle and given names, never split by hopthu', {
    type: 'complex',
    required: true,
    mutability: 'immutable',
    subAttributes: [
      attr('familyName', 'Họ (family name)', { required: true, mutability: 'immutable' }),
      attr('middleName', 'Tên đệm (middle names)', { mutability: 'immutable' }),
      attr('givenName', 'Tên (given name)', { required: true, mutability: 'immutable' }),
      attr('formatted', 'The full name, family name first', { mutability: 'readOnly' }),
    ],
  }),
  attr('displayName', 'The full name, family name first', { mutability: 'readOnly' }),
  attr('title', 'Chức vụ (position)'),
  attr('active', "true while the mailbox is open; false suspends it (also the string 'False')", {
    type: 'boolean',
  }),
  attr('emails', "The mailbox's address, once the province's naming rule assigned it", {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'The address', { mutability: 'readOnly' }),
      attr('type', 'Always work', { mutability: 'readOnly' }),
      attr('primary', 'Always true', { type: 'boolean', mutability: 'readOnly' }),
    ],
  }),
  attr('groups', 'The agency or unit the person belongs to', {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'The agency id', { mutability: 'readOnly' }),
      attr('display', "The agency's name", { mutability: 'readOnly' }),
    ],
  }),
];

const ENTERPRISE_ATTRIBUTES = [
  attr('department', 'Phòng ban (department within the agency)'),
  attr(
    'organization',
    "The agency or unit the person belongs to: its id or abbreviation, within the client's agency tree (default: the client's agency); a change transfers the mailbox",
  ),
];

const MAILBOX_ATTRIBUTES = [
  attr(
    'status',
    'pending_approval, approved, in_progress, rejected or failed before the mailbox exists; then its state (active, suspended, locked, deleted)',
    {
      mutability: 'readOnly',
    },
  ),
  attr(
    'requestId',
    'The create request (GET /v1/requests/{id} shows it and, once done, the one-time credential)',
    {
      mutability: 'readOnly',
    },
  ),
  attr('agencyId', 'The agency or unit of the mailbox', { mutability: 'readOnly' }),
];

const GROUP_ATTRIBUTES = [
  attr('displayName', "The agency's name", { required: true, mutability: 'readOnly' }),
  attr('members', 'The SCIM users of the agency or unit', {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attr('value', 'The user id', { mutability: 'readOnly' }),
      attr('display', "The user's name", { mutability: 'readOnly' }),
      attr('$ref', 'The user', { type: 'reference', mutability: 'readOnly', referenceTypes: ['User'] }),
    ],
  }),
];

const meta = (base: string, resourceType: string, path: string) => ({
  resourceType,
  location: `${base}${path}`,
});

export function schemaDocuments(base: string) {
  return [
    {
      schemas: [SCIM.schema],
      id: SCIM.user,
      name: 'User',
      description: 'A person and their personal mailbox',
      attributes: USER_ATTRIBUTES,
      meta: meta(base, 'Schema', `/Schemas/${SCIM.user}`),
    },
    {
      schemas: [SCIM.schema],
      id: SCIM.enterprise,
      name: 'EnterpriseUser',
      description: 'Enterprise User: the department and the agency',
      attributes: ENTERPRISE_ATTRIBUTES,
      meta: meta(base, 'Schema', `/Schemas/${SCIM.enterprise}`),
    },
    {
      schemas: [SCIM.schema],
      id: SCIM.mailbox,
      name: 'Mailbox',
      description: "hopthu: the mailbox's progress and state",
      attributes: MAILBOX_ATTRIBUTES,
      meta: meta(base, 'Schema', `/Schemas/${SCIM.mailbox}`),
    },
    {
      schemas: [SCIM.schema],
      id: SCIM.group,
      name: 'Group',
      description: "The agency and its sub-units (read-only: the agency tree is the directory's)",
      attributes: GROUP_ATTRIBUTES,
      meta: meta(base, 'Schema', `/Schemas/${SCIM.group}`),
    },
  ];
}

export function resourceTypeDocuments(base: string) {
  return [
    {
      schemas: [SCIM.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'A person and their personal mailbox',
      schema: SCIM.user,
      schemaExtensions: [
        { schema: SCIM.enterprise, required: false },
        { schema: SCIM.mailbox, required: false },
      ],
      meta: meta(base, 'ResourceType', '/ResourceTypes/User'),
    },
    {
      schemas: [SCIM.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'The agency and its sub-units (read-only)',
      schema: SCIM.group,
      meta: meta(base, 'ResourceType', '/ResourceTypes/Group'),
    },
  ];
}

export function serviceProviderConfig(base: string, documentationUri: string) {
  return {
    schemas: [SCIM.serviceProviderConfig],
    documentationUri,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_PAGE },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: true },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'SCIM bearer token',
        description:
          "A token an operator issues to the agency's API client (POST /admin/clients/{clientId}/scim-tokens) and can revoke, or the client's OAuth 2.0 access token (private_key_jwt)",
        specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
        documentationUri,
        primary: true,
      },
    ],
    meta: meta(base, 'ServiceProviderConfig', '/ServiceProviderConfig'),
  };
}

/** A list answer (RFC 7644 §3.4.2). */
export function listResponse(all: unknown[], startIndex: number, count: number) {
  const page = all.slice(startIndex - 1, startIndex - 1 + count);
  return {
    schemas: [SCIM.list],
    totalResults: all.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page,
  };
}
