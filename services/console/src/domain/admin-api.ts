// The console's port to the other services' HTTP admin APIs: what its use cases and pages need
// from a client (adapters/admin-api-client.ts implements it over fetch with the admin token).
// Answers come back as { status, body }; a service that does not answer becomes an UpstreamError,
// which the pages show as "service unavailable" instead of a stack trace.
export interface UpstreamAnswer<T = unknown> {
  status: number;
  body: T;
}

/** The operator a call acts for: the services record this identity, from a token the console signs. */
export interface ActingOperator {
  name: string;
  role: string;
}

export interface AdminApiClient {
  readonly name: string;
  get<T = unknown>(
    path: string,
    query?: Record<string, string | undefined>,
    as?: ActingOperator,
  ): Promise<UpstreamAnswer<T>>;
  post<T = unknown>(
    path: string,
    body?: unknown,
    as?: ActingOperator,
    headers?: Record<string, string>,
  ): Promise<UpstreamAnswer<T>>;
  patch<T = unknown>(path: string, body: unknown, as?: ActingOperator): Promise<UpstreamAnswer<T>>;
  delete<T = unknown>(path: string, as?: ActingOperator): Promise<UpstreamAnswer<T>>;
  /** A file as the service sends it (a paper request's PDF scan): its bytes and content type. */
  download(path: string, as?: ActingOperator): Promise<UpstreamFile>;
}

export interface UpstreamFile {
  status: number;
  contentType: string;
  bytes: Uint8Array;
}

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  readonly service: string;
  constructor(service: string, message: string, options?: { cause?: unknown }) {
    super(`${service}: ${message}`, options);
    this.service = service;
  }
}
