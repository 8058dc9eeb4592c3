// The HTTP skeleton every service shares: Fastify with TypeBox, strict UTF-8 JSON, the text guard
// on every route (text PostgreSQL or the mail server cannot take is a 400 before any use case
// runs), one error handler that answers RFC 9457 problem+json in Vietnamese and English (database
// errors caused by input become 4xx; anything else a logged 500 with a correlation id), /healthz,
// /readyz and the admin route listing the fuzz suite enumerates.
import { timingSafeEqual } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { AppError, type FieldError, isAppError, toProblem } from './errors.ts';
import { newId } from './clock.ts';
import type { Logger } from './logger.ts';
import { installHttpMetrics } from './metrics.ts';
import { operatorIdentityOf, verifyOperatorBearer } from './operator-token.ts';
import { findTextProblems, textProblemError } from './text-guard.ts';

export type HttpApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a request body, refusing bytes that are not valid UTF-8 (legacy TCVN3/VNI text, binary). */
export function decodeUtf8Json(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new AppError('invalid_utf8', {
      vi: 'Nội dung yêu cầu không phải văn bản UTF-8 hợp lệ',
      en: 'The request body is not valid UTF-8 text',
    });
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(
      'validation_failed',
      { vi: 'Nội dung yêu cầu không phải JSON hợp lệ', en: 'The request body is not valid JSON' },
      {
        errors: [{ field: '', message: { vi: 'JSON không hợp lệ', en: 'malformed JSON' } }],
      },
    );
  }
}

/**
 * Decodes a form body (application/x-www-form-urlencoded) strictly: bytes that are not UTF-8, or
 * a percent-escape that decodes to no UTF-8 (`%ED%A0%80`, a lone surrogate), are refused naming
 * the field, where URLSearchParams would store U+FFFD in their place. A repeated name keeps its
 * last value.
 */
export function decodeForm(body: Buffer): Record<string, string> {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new AppError('invalid_utf8', {
      vi: 'Nội dung biểu mẫu không phải văn bản UTF-8 hợp lệ',
      en: 'The form body is not valid UTF-8 text',
    });
  }
  const form: Record<string, string> = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const rawName = at < 0 ? pair : pair.slice(0, at);
    const rawValue = at < 0 ? '' : pair.slice(at + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '));
    } catch {
      throw new AppError(
        'invalid_utf8',
        { vi: 'Tên trường biểu mẫu không phải UTF-8 hợp lệ', en: 'A form field name is not valid UTF-8' },
        { errors: [{ field: '', message: { vi: 'mã hóa sai', en: 'malformed percent-encoding' } }] },
      );
    }
    try {
      value = decodeURIComponent(rawValue.replaceAll('+', ' '));
    } catch {
      throw new AppError(
        'invalid_utf8',
        { vi: 'Giá trị biểu mẫu không phải UTF-8 hợp lệ', en: 'A form value is not valid UTF-8' },
        {
          errors: [
            {
              field: `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`,
              message: { vi: 'mã hóa sai', en: 'malformed percent-encoding' },
            },
          ],
        },
      );
    }
    form[name] = value;
  }
  return { ...form };
}

function validationMessage(e: {
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}): FieldError['message'] {
  switch (e.keyword) {
    case 'required':
      return {
        vi: `Thiếu trường bắt buộc "${String(e.params.missingProperty)}"`,
        en: `missing required field "${String(e.params.missingProperty)}"`,
      };
    case 'additionalProperties':
      return {
        vi: `Trường không được hỗ trợ "${String(e.params.additionalProperty)}"`,
        en: `unknown field "${String(e.params.additionalProperty)}"`,
      };
    case 'minLength':
      return { vi: 'Giá trị quá ngắn hoặc để trống', en: 'value is too short or empty' };
    case 'maxLength':
      return { vi: 'Giá trị quá dài', en: 'value is too long' };
    case 'maxItems':
      return { vi: 'Quá nhiều phần tử', en: 'too many items' };
    case 'minItems':
      return { vi: 'Cần ít nhất một phần tử', en: 'at least one item is required' };
    case 'format':
      return {
        vi: `Sai định dạng (${String(e.params.format)})`,
        en: `invalid format (${String(e.params.format)})`,
      };
    case 'pattern':
      return { vi: 'Giá trị không đúng mẫu cho phép', en: 'value does not match the allowed pattern' };
    case 'type':
      return {
        vi: `Sai kiểu dữ liệu, cần ${String(e.params.type)}`,
        en: `wrong type, expected ${String(e.params.type)}`,
      };
    case 'enum':
    case 'const':
    case 'anyOf':
      return {
        vi: 'Giá trị không nằm trong danh sách cho phép',
        en: 'value is not one of the allowed values',
      };
    default:
      return { vi: 'Giá trị không hợp lệ', en: e.message ?? 'invalid value' };
  }
}

/** The shape of an error raised by PostgreSQL through pg (a DatabaseError): SQLSTATE and where. */
interface DatabaseErrorLike {
  code: string;
  severity?: string;
  column?: string;
  detail?: string;
  constraint?: string;
}

function isDatabaseError(error: unknown): error is DatabaseErrorLike {
  const e = error as Partial<DatabaseErrorLike> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(e.code) &&
    // pg's DatabaseError carries the server's severity; an AppError or Node error never does.
    typeof e.severity === 'string'
  );
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The fields a database error names, as JSON pointers of camelCase columns: the column of a
 * not-null violation, or the key columns of `Key (a, b)=(…)` in a unique or foreign-key detail.
 * The detail's values are never repeated (they may hold personal data).
 */
function databaseErrorFields(e: DatabaseErrorLike): string[] {
  if (e.column) return [`/${camel(e.column)}`];
  const key = /^Key \(([^)]*)\)=/.exec(e.detail ?? '');
  if (!key?.[1]) return [''];
  return key[1]
    .split(',')
    .map((c) => c.trim())
    .filter((c) => /^[a-z_][a-z0-9_]*$/.test(c))
    .map((c) => `/${camel(c)}`);
}

/**
 * A database error caused by the input, as the 4xx the caller should have had: integrity
 * constraints (23xxx: a duplicate or a dangling reference is a conflict, the rest a bad value),
 * data exceptions (22xxx: invalid text or byte sequences, numbers out of range, values too long,
 * bad dates) and program limits (54000: a value too large for an index). Null for any other error,
 * which is the service's fault and stays a 500.
 */
export function databaseInputError(error: unknown): AppError | null {
  if (!isDatabaseError(error)) return null;
  const { code } = error;
  const fields = databaseErrorFields(error);
  const errors = (message: FieldError['message']) => fields.map((field) => ({ field, message }));
  if (code === '23505' || code === '23P01') {
    return new AppError(
      'conflict',
      { vi: 'Dữ liệu trùng với dữ liệu đã có', en: 'The data conflicts with existing data' },
      { errors: errors({ vi: 'đã tồn tại', en: 'already exists' }), cause: error },
    );
  }
  if (code === '23503') {
    return new AppError(
      'conflict',
      {
        vi: 'Dữ liệu tham chiếu tới mục không tồn tại hoặc còn được tham chiếu',
        en: 'The data refers to something that does not exist, or is still referred to',
      },
      { errors: errors({ vi: 'tham chiếu không hợp lệ', en: 'invalid reference' }), cause: error },
    );
  }
  if (code.startsWith('23') || code.startsWith('22') || code === '54000') {
    const message =
      code === '22001' || code === '54000'
        ? { vi: 'Giá trị quá dài', en: 'value is too long' }
        : code === '22003'
          ? { vi: 'Số nằm ngoài phạm vi cho phép', en: 'number out of range' }
          : code === '23502'
            ? { vi: 'bắt buộc', en: 'required' }
            : { vi: 'Giá trị không hợp lệ', en: 'invalid value' };
    return new AppError(
      'validation_failed',
      { vi: 'Dữ liệu yêu cầu không hợp lệ', en: 'The request is invalid' },
      { errors: errors(message), cause: error },
    );
  }
  return null;
}

export function toAppError(error: FastifyError | Error): AppError | null {
  if (isAppError(error)) return error;
  const fromDatabase = databaseInputError(error);
  if (fromDatabase) return fromDatabase;
  const fe = error as FastifyError & {
    validation?: {
      instancePath: string;
      keyword: string;
      message?: string;
      params: Record<string, unknown>;
    }[];
    validationContext?: string;
  };
  if (fe.validation) {
    const errors = fe.validation.map((v) => {
      let field = v.instancePath || '';
      if (v.keyword === 'required') field = `${field}/${String(v.params.missingProperty)}`;
      if (v.keyword === 'additionalProperties') field = `${field}/${String(v.params.additionalProperty)}`;
      return {
        field: `${fe.validationContext === 'body' || !fe.validationContext ? '' : `${fe.validationContext}:`}${field}`,
        message: validationMessage(v),
      };
    });
    return new AppError(
      'validation_failed',
      { vi: 'Dữ liệu yêu cầu không hợp lệ', en: 'The request is invalid' },
      { errors },
    );
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', {
        vi: 'Nội dung yêu cầu quá lớn',
        en: 'The request body is too large',
      });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', {
        vi: 'Chỉ chấp nhận application/json',
        en: 'Only application/json is accepted',
      });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('validation_failed', {
        vi: 'Nội dung yêu cầu không phải JSON hợp lệ',
        en: 'The request body is not valid JSON',
      });
  }
  if (fe.statusCode === 429)
    return new AppError('rate_limited', {
      vi: 'Quá nhiều yêu cầu, hãy thử lại sau',
      en: 'Too many requests, try again later',
    });
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return new AppError(
      'validation_failed',
      { vi: 'Yêu cầu không hợp lệ', en: error.message },
      { status: fe.statusCode },
    );
  }
  return null;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  const problem = toProblem(error, request.url);
  // A 5xx carries the request's id, the `reqId` of every log line about it, so a caller's report
  // leads to the logged cause.
  const body = error.status >= 500 ? { ...problem, correlationId: String(request.id) } : problem;
  return reply.status(error.status).type('application/problem+json').send(body);
}

/** Headers whose values services store (and so go through the text guard like a body). */
export const STORED_HEADERS = ['idempotency-key', 'x-operator'] as const;

/**
 * The text guard as a preValidation hook, on every route of an app made by createHttpApp: the
 * body (JSON or form), query string, path parameters and stored headers hold no NUL, lone
 * surrogate or control character (names none at all), and names reach the route in NFC.
 */
export async function guardRequestText(request: FastifyRequest): Promise<void> {
  const errors = [
    ...findTextProblems(request.body),
    ...findTextProblems(request.query, { prefix: 'querystring:' }),
    ...findTextProblems(request.params, { prefix: 'params:' }),
  ];
  for (const name of STORED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') {
      errors.push(...findTextProblems({ [name]: value }, { isName: () => false, prefix: 'header:' }));
    }
  }
  if (errors.length > 0) throw textProblemError(errors);
}

/** One route as GET /admin/routes lists it: what the fuzz suite and operators need to call it. */
export interface RouteListing {
  method: string;
  url: string;
  schema?: { body?: unknown; querystring?: unknown; params?: unknown; headers?: unknown };
  consumes?: string[];
}

// The admin tokens requireAdminToken was made with in this process: GET /admin/routes takes the
// same token as the service's own admin routes without each service having to pass it again.
const adminTokens = new Set<string>();

function isAdminAuthorization(header: string | undefined): boolean {
  const given = Buffer.from(header ?? '');
  for (const token of adminTokens) {
    const expected = Buffer.from(`Bearer ${token}`);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}

export function createHttpApp(options: {
  logger: Logger;
  bodyLimit?: number;
  readiness?: () => Promise<void>;
}): HttpApp {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    genReqId: () => newId(),
    disableRequestLogging: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    // A path that does not decode (`/v1/requests/%ED%A0%80`, a lone surrogate) or a parameter
    // that is too long: the same problem+json as every other refusal, not Fastify's own JSON.
    frameworkErrors: (error, request, reply) =>
      sendProblem(
        reply,
        request,
        new AppError(
          'validation_failed',
          { vi: 'Đường dẫn yêu cầu không hợp lệ', en: 'The request path is invalid' },
          {
            status: 400,
            errors: [{ field: 'url', message: { vi: 'không giải mã được', en: error.message } }],
          },
        ),
      ),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/json', 'application/*+json'],
    { parseAs: 'buffer' },
    (_req, body, done) => {
      try {
        done(null, decodeUtf8Json(body as Buffer));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, decodeForm(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  app.addHook('preValidation', guardRequestText);
  // Prometheus: every answer counted by route and status, GET /metrics (see metrics.ts).
  installHttpMetrics(app as unknown as FastifyInstance);

  // Every route, as registered (HEAD twins of GETs left out): GET /admin/routes lists them, so a
  // new route is enumerated, and fuzzed, without anyone adding it to a list.
  const routes: RouteListing[] = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
    const schema = route.schema as RouteListing['schema'] & { consumes?: string[] };
    for (const method of methods) {
      routes.push({
        method,
        url: route.url,
        ...(schema
          ? {
              schema: {
                body: schema.body,
                querystring: schema.querystring,
                params: schema.params,
                headers: schema.headers,
              },
            }
          : {}),
        ...(schema?.consumes ? { consumes: schema.consumes } : {}),
      });
    }
  });
  app.get('/admin/routes', async (request, reply) => {
    const authorization = request.headers.authorization;
    if (!isAdminAuthorization(authorization) && !(await verifyOperatorBearer(request, authorization ?? ''))) {
      return sendProblem(
        reply,
        request,
        new AppError('unauthorized', { vi: 'Cần quyền quản trị', en: 'Administrator credentials required' }),
      );
    }
    return { routes };
  });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error);
    if (appError) {
      if (appError.status >= 500)
        request.log.error({ err: error, correlationId: request.id }, 'request failed');
      else if (appError.cause && isDatabaseError(appError.cause))
        // The input broke a rule the database keeps: no fault of ours, but worth seeing which.
        request.log.warn(
          { sqlState: appError.cause.code, constraint: appError.cause.constraint },
          'refused by the database',
        );
      return sendProblem(reply, request, appError);
    }
    request.log.error({ err: error, correlationId: request.id }, 'unhandled error');
    return sendProblem(
      reply,
      request,
      new AppError('internal', { vi: 'Lỗi nội bộ của hệ thống', en: 'Internal error' }),
    );
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new AppError('not_found', { vi: 'Không tìm thấy', en: 'Not found' })),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await options.readiness?.();
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'not ready');
      return sendProblem(
        reply,
        request,
        new AppError('not_ready', { vi: 'Dịch vụ chưa sẵn sàng', en: 'Service not ready' }),
      );
    }
  });
  return app as unknown as HttpApp;
}

/**
 * Guards operator/admin routes: a console operator token (signed for the logged-in operator,
 * verified with the console's public keys, see operator-token.ts), or the static bearer token from
 * configuration for local scripts. Without a configured token (ADMIN_TOKEN unset) only operator
 * tokens are accepted.
 */
export function requireAdminToken(token: string | undefined) {
  if (token) adminTokens.add(token);
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    if (token && isAdminAuthorization(header)) return;
    if (await verifyOperatorBearer(request, header)) return;
    throw new AppError('unauthorized', {
      vi: 'Cần quyền quản trị',
      en: 'Administrator credentials required',
    });
  };
}

/** An operator's name as admin routes take it (the console passes its logged-in username). */
export const OPERATOR_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$';

/** The name a request claims acts: the body's `operator`, else the `X-Operator` header. */
function claimedOperator(
  request: FastifyRequest,
  body: { operator?: string | undefined } | undefined,
): string | undefined {
  const header = request.headers['x-operator'];
  return body?.operator ?? (typeof header === 'string' ? header : undefined);
}

/**
 * The operator the request's token proves, if it carries one. A token names who acts: a name in
 * the body or header may only repeat it (403 naming `/operator` otherwise), it never replaces it.
 */
function provenOperator(request: FastifyRequest, claimed: string | undefined): string | undefined {
  const proven = operatorIdentityOf(request);
  if (!proven) return undefined;
  if (claimed !== undefined && claimed !== proven.name)
    throw new AppError(
      'forbidden',
      {
        vi: 'Tên cán bộ vận hành khác với người đăng nhập trên bảng điều khiển',
        en: 'The operator named differs from the operator the token proves',
      },
      { errors: [{ field: '/operator', message: { vi: 'không khớp', en: 'does not match' } }] },
    );
  return proven.name;
}

/**
 * Who an operator decision is recorded against: the operator token's name; only with the static
 * ADMIN_TOKEN (local scripts), the body's `operator`, else the `X-Operator` header. Decisions that
 * need two different people (approvals, reclaims) depend on it, so a missing or malformed name is
 * a 400 naming `/operator`.
 */
export function operatorOf(
  request: FastifyRequest,
  body: { operator?: string | undefined } | undefined,
): string {
  const operator = claimedOperator(request, body);
  const proven = provenOperator(request, operator);
  if (proven) return proven;
  if (!operator || !new RegExp(OPERATOR_NAME_PATTERN).test(operator)) {
    throw new AppError(
      'validation_failed',
      {
        vi: 'Thiếu hoặc sai tên cán bộ vận hành (trường operator hoặc tiêu đề X-Operator)',
        en: 'The operator is missing or invalid (body field operator or header X-Operator)',
      },
      { errors: [{ field: '/operator', message: { vi: 'bắt buộc', en: 'required' } }] },
    );
  }
  return operator;
}

/**
 * Who a change that needs no second operator is recorded against (history, audit): the operator
 * token's name; with the static token, a well-formed `X-Operator` header, else `fallback`.
 */
export function actorOf(request: FastifyRequest, fallback = 'admin'): string {
  const claimed = claimedOperator(request, undefined);
  const proven = provenOperator(request, claimed);
  if (proven) return proven;
  return claimed && new RegExp(OPERATOR_NAME_PATTERN).test(claimed) ? claimed : fallback;
}
