/** An MLflow API error as the server sent it: HTTP status, MLflow error code, message. */
export class TrackingApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(`${errorCode}: ${message}`);
    this.name = 'TrackingApiError';
  }
}
