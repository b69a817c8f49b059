import { StoreError } from '../../store/pod-store.js';
import { RuntimeError } from '../../runtime/container-runtime.js';
import { ApiError, alreadyExists, conflict, internalError, notFound } from './api-error.js';

/** The object a failing request was about, for messages like `pods "web" not found`. */
export interface ErrorSubject {
  resource: string;
  name: string;
}

/**
 * Maps any thrown value to an ApiError. Store and runtime errors carry a
 * typed reason; the subject supplies the Kubernetes wording around it.
 */
export function toApiError(err: unknown, subject?: ErrorSubject): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreError) {
    switch (err.reason) {
      case 'NotFound':
        return subject ? notFound(subject.resource, subject.name) : new ApiError(404, 'NotFound', err.message);
      case 'AlreadyExists':
        return subject ? alreadyExists(subject.resource, subject.name) : new ApiError(409, 'AlreadyExists', err.message);
      case 'Conflict':
        return subject
          ? conflict(subject.resource, subject.name, 'the object has been modified; please apply your changes to the latest version and try again')
          : new ApiError(409, 'Conflict', err.message);
      case 'Gone':
        return new ApiError(410, 'Expired', err.message);
      case 'Invalid':
        return new ApiError(422, 'Invalid', err.message);
    }
  }
  if (err instanceof RuntimeError) {
    if (err.reason === 'NotFound' || err.reason === 'NotRunning') return new ApiError(400, 'BadRequest', err.message);
    return internalError(err);
  }
  return internalError(err);
}
