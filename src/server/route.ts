/**
 * One HTTP operation described once: method, path, the zod schema that validates its input and
 * the one that describes its output, and the handler. The server registers routes from these,
 * and the OpenAPI document is generated from the same objects.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ServerContext } from './context.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

export interface Route<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  method: Method;
  /** Relative to the API's prefix; `:name` marks a path parameter. */
  path: string;
  summary: string;
  /** OpenAPI tag: the group this operation is listed under. */
  tag: string;
  /** The input: query string (GET), JSON body (others) and path parameters, merged. */
  input: I;
  output: O;
  /** The response's media type when not JSON (e.g. text/event-stream); `output` then describes one message. */
  contentType?: string;
  /** Bytes a request body may hold; the API's default otherwise. */
  bodyLimit?: number;
  handler: (input: z.output<I>, ctx: ServerContext, request: FastifyRequest, reply: FastifyReply) => Promise<z.input<O>>;
}

export function route<I extends z.ZodType, O extends z.ZodType>(r: Route<I, O>): Route {
  return r as unknown as Route;
}
