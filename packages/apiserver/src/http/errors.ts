// Every failure leaves the server as a metav1.Status (kubectl-wire §13).
import { StatusError, internalError } from '@mini-kube/machinery';
import { MAX_BODY_BYTES } from './body.js';

interface FrameworkError extends Error {
  code?: string;
  statusCode?: number;
}

export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const e = err as FrameworkError;
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new StatusError(413, 'RequestEntityTooLarge', `the request body is too large: limit is ${MAX_BODY_BYTES} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new StatusError(415, 'UnsupportedMediaType', e.message);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new StatusError(400, 'BadRequest', e.message);
  }
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new StatusError(e.statusCode, 'BadRequest', e.message);
  return internalError(e?.message ?? String(err));
}
