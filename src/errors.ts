/**
 * One error class for everything Sluice reports to a user. The code is stable and
 * machine-readable; the message says what is wrong and where; the hint says how to fix it.
 * The CLI and the HTTP server turn a SluiceError into output in one place each.
 */
export const ERROR_CODES = {
  CONFIG_NOT_FOUND: { exit: 2, status: 400 },
  CONFIG_INVALID: { exit: 2, status: 400 },
  USAGE: { exit: 2, status: 400 },
  NOT_FOUND: { exit: 4, status: 404 },
  SOURCE_NOT_FOUND: { exit: 3, status: 400 },
  SCHEMA_MISMATCH: { exit: 3, status: 400 },
  DATA_INVALID: { exit: 3, status: 400 },
  STEP_FAILED: { exit: 5, status: 500 },
  STEP_TIMEOUT: { exit: 5, status: 500 },
  STEP_OUT_OF_MEMORY: { exit: 5, status: 500 },
  GATE_FAILED: { exit: 6, status: 409 },
  ARTIFACT_CORRUPT: { exit: 7, status: 500 },
  ARTIFACT_MISSING: { exit: 7, status: 404 },
  STORE_ERROR: { exit: 8, status: 500 },
  CONFLICT: { exit: 9, status: 409 },
  /** Not a failure of Sluice: a drift report (or quality check) found what it looks for. */
  DRIFT_DETECTED: { exit: 10, status: 409 },
  CHECK_FAILED: { exit: 11, status: 409 },
  INTERNAL: { exit: 1, status: 500 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface SluiceErrorOptions {
  /** How the user can fix it, in one sentence. */
  hint?: string;
  /** Where: a file, a line, a column, a step, a source. */
  where?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly where?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: SluiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SluiceError';
    this.code = code;
    this.hint = options.hint;
    this.where = options.where;
    this.details = options.details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      ...(this.where ? { where: this.where } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function isSluiceError(e: unknown): e is SluiceError {
  return e instanceof SluiceError;
}

/** Text of any thrown value, for logs and records. */
export function errorMessage(e: unknown): string {
  if (e instanceof SluiceError) {
    return [e.where ? `${e.where}: ${e.message}` : e.message, e.hint ? `(${e.hint})` : ''].filter(Boolean).join(' ');
  }
  if (e instanceof Error) return e.message;
  return String(e);
}
