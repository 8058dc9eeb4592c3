// The HTTP skeleton every service shares: Fastify with TypeBox, strict UTF-8 JSON, one error
// handler that answers RFC 9457 problem+json in Vietnamese and English, /healthz and /readyz.
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

export function toAppError(error: FastifyError | Error): AppError | null {
  if (isAppError(error)) return error;
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
  return reply.status(error.status).type('application/problem+json').send(toProblem(error, request.url));
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
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error as Error);
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, request, appError);
    }
    request.log.error({ err: error }, 'unhandled error');
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
 * Guards operator/admin routes with a bearer token from configuration. The console and the admin
 * commands use it; agencies never see these routes. (Operator accounts and roles come with the console.)
 */
export function requireAdminToken(token: string) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    if (header !== `Bearer ${token}`) {
      throw new AppError('unauthorized', {
        vi: 'Cần quyền quản trị',
        en: 'Administrator credentials required',
      });
    }
  };
}

/** An operator's name as admin routes take it (the console passes its logged-in username). */
export const OPERATOR_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$';

/**
 * Who an operator decision is recorded against: the body's `operator`, else the `X-Operator`
 * header. Decisions that need two different people (approvals, reclaims) depend on it, so a
 * missing or malformed name is a 400 naming `/operator`.
 */
export function operatorOf(
  request: FastifyRequest,
  body: { operator?: string | undefined } | undefined,
): string {
  const header = request.headers['x-operator'];
  const operator = body?.operator ?? (typeof header === 'string' ? header : undefined);
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
