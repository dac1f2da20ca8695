/**
 * Typed errors that carry their own HTTP status. The error plugin turns each into an
 * RFC 9457 problem+json body; nothing chooses a status by reading message text.
 */
export interface ProblemItem {
  pointer?: string
  parameter?: string
  header?: string
  message: string
}

export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly title: string,
    detail: string,
    public readonly type = `/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    public readonly errors?: ProblemItem[],
    public readonly headers: Record<string, string> = {},
    public readonly extra: Record<string, unknown> = {},
  ) {
    super(detail)
  }
}

export class ValidationError extends AppError {
  constructor(errors: ProblemItem[], detail = summarise(errors)) {
    super(400, 'Invalid request', detail, '/problems/validation', errors)
  }
}
export class UnprocessableError extends AppError {
  constructor(detail: string, errors?: ProblemItem[], type = '/problems/unprocessable') {
    super(422, 'Unprocessable request', detail, type, errors)
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(detail: string, header = 'content-type') {
    super(415, 'Unsupported media type', detail, '/problems/http-415', [{ header, message: detail }])
  }
}
export class UnauthorizedError extends AppError {
  constructor(detail = 'A valid API key is required: send Authorization: Bearer <key>.') {
    super(401, 'Unauthorized', detail, '/problems/unauthorized', undefined, { 'www-authenticate': 'Bearer' })
  }
}
export class ForbiddenError extends AppError {
  constructor(detail: string) {
    super(403, 'Forbidden', detail, '/problems/forbidden')
  }
}
export class NotFoundError extends AppError {
  constructor(detail: string) {
    super(404, 'Not found', detail, '/problems/not-found')
  }
}
export class GoneError extends AppError {
  constructor(detail: string) {
    super(410, 'Gone', detail, '/problems/gone')
  }
}
export class ConflictError extends AppError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'Conflict', detail, '/problems/conflict', undefined, {}, extra)
  }
}
export class PreconditionRequiredError extends AppError {
  constructor(detail = 'This request needs an If-Match header with the ETag from a GET.') {
    super(428, 'Precondition required', detail, '/problems/precondition-required', [{ header: 'if-match', message: 'required' }])
  }
}
export class PreconditionFailedError extends AppError {
  constructor(detail = 'The resource has changed since that ETag: GET it again and reapply your change.') {
    super(412, 'Precondition failed', detail, '/problems/precondition-failed', [{ header: 'if-match', message: 'does not match the current ETag' }])
  }
}
export class ServiceUnavailableError extends AppError {
  constructor(detail = 'The service cannot reach its database just now. Please try again shortly.', retryAfterSeconds = 5) {
    super(503, 'Service unavailable', detail, '/problems/unavailable', undefined, { 'retry-after': String(retryAfterSeconds) })
  }
}

function summarise(errors: ProblemItem[]): string {
  const names = errors.map((e) => e.pointer ?? e.parameter ?? e.header).filter(Boolean)
  return names.length ? `Check ${names.join(', ')}.` : 'The request is not valid.'
}
