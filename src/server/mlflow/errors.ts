/** MLflow's error responses: `{"error_code", "message"}` with the status MLflow gives each code. */
import type { z } from 'zod';
import { SluiceError, errorMessage, isSluiceError } from '../../errors.js';

export const MLFLOW_STATUS: Record<string, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  RESOURCE_CONFLICT: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
};

export class MlflowError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status: number = MLFLOW_STATUS[errorCode] ?? 500,
  ) {
    super(message);
    this.name = 'MlflowError';
  }

  toJSON(): { error_code: string; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

/** Any thrown value as the MLflow error a client should see. */
export function toMlflowError(e: unknown): MlflowError {
  if (e instanceof MlflowError) return e;
  if (isSluiceError(e)) return fromSluiceError(e);
  const fastify = e as { statusCode?: number; code?: string; message?: string } | null;
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    if (fastify.statusCode === 413) return new MlflowError('BAD_REQUEST', `Request body is too large: ${fastify.message ?? ''}`.trim(), 413);
    return new MlflowError(fastify.statusCode === 404 ? 'ENDPOINT_NOT_FOUND' : 'BAD_REQUEST', fastify.message ?? 'Bad Request', fastify.statusCode);
  }
  return new MlflowError('INTERNAL_ERROR', errorMessage(e));
}

function fromSluiceError(e: SluiceError): MlflowError {
  const message = e.hint ? `${e.message}. ${e.hint}` : e.message;
  switch (e.code) {
    case 'USAGE':
    case 'CONFIG_INVALID':
    case 'DATA_INVALID':
      return new MlflowError('INVALID_PARAMETER_VALUE', message);
    case 'NOT_FOUND':
    case 'ARTIFACT_MISSING':
      return new MlflowError('RESOURCE_DOES_NOT_EXIST', message);
    case 'CONFLICT': {
      const code = e.details?.mlflowErrorCode;
      return new MlflowError(typeof code === 'string' ? code : 'INVALID_PARAMETER_VALUE', message);
    }
    case 'STORE_ERROR':
      return new MlflowError('TEMPORARILY_UNAVAILABLE', message);
    default:
      return new MlflowError('INTERNAL_ERROR', message);
  }
}

/** A request that failed its schema, worded as MLflow words it. */
export function validationError(error: z.ZodError, input: unknown): MlflowError {
  const issue = error.issues[0];
  const path = issue.path.join('.');
  const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), input);
  if (value === undefined || (issue.message === 'required' && value === '')) {
    return new MlflowError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${path}'. See the API docs for more information about request parameters.`);
  }
  const shown = JSON.stringify(value)?.slice(0, 200) ?? String(value);
  return new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${shown} for parameter '${path}' supplied: ${issue.message}`);
}
