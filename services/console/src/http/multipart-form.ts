// multipart/form-data for the pages that take a file from the browser (an <input type="file"> in a
// form works without JavaScript): parsed by the platform's own FormData (undici), the text fields
// become the body (CSRF token included, checked as on every POST) and the files stay beside it, out
// of the body's text checks, for the route to read with uploadedFile().
import { AppError } from '@hopthu/shared/errors';
import type { FastifyRequest } from 'fastify';
import type { PagesScope } from './pages.ts';

export interface UploadedFile {
  name: string;
  /** The bytes read as UTF-8; bytes that are not become U+FFFD (the import names their line). */
  text: string;
  /** The bytes as sent (a PDF scan is not text). */
  bytes: Uint8Array;
  size: number;
}

const uploads = new WeakMap<object, Map<string, UploadedFile>>();

/** Lets the routes of `scope` take multipart/form-data bodies up to `bodyLimit` bytes. */
export function acceptMultipartForms(scope: PagesScope, bodyLimit: number): void {
  scope.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit },
    (request, body, done) => {
      const contentType = request.headers['content-type'] ?? '';
      new Response(body as Buffer, { headers: { 'content-type': contentType } })
        .formData()
        .then(async (form) => {
          const fields: Record<string, string> = {};
          const files = new Map<string, UploadedFile>();
          for (const [key, value] of form) {
            if (typeof value === 'string') fields[key] = value;
            else if (value.size > 0) {
              const bytes = new Uint8Array(await value.arrayBuffer());
              files.set(key, {
                name: value.name,
                text: new TextDecoder('utf-8').decode(bytes),
                bytes,
                size: bytes.length,
              });
            }
          }
          uploads.set(request, files);
          done(null, fields);
        })
        .catch((error: Error) => {
          const refusal = new AppError(
            'validation_failed',
            {
              vi: 'Không đọc được biểu mẫu tải tệp (multipart/form-data hỏng)',
              en: 'The multipart/form-data body cannot be read',
            },
            { cause: error },
          );
          done(refusal, undefined);
        });
    },
  );
}

/** A file the form carried in `field`, or undefined when none was chosen. */
export function uploadedFile(request: FastifyRequest, field: string): UploadedFile | undefined {
  return uploads.get(request)?.get(field);
}
