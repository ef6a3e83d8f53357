import type { HttpRequest, HttpResponse } from './types';

/** The fields of a Lambda Function URL / API Gateway HTTP API (payload 2.0) event this uses. */
export interface LambdaHttpEvent {
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  /** Payload 2.0 moves cookies out of the headers. */
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: { http: { method: string } };
}

export interface LambdaHttpResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies?: string[];
  body: string;
}

export function fromLambdaEvent(event: LambdaHttpEvent): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const raw = event.body ?? '';
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    // The signature covers Slack's exact bytes: undo the runtime's base64, nothing else.
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
  };
}

export function toLambdaResult(response: HttpResponse): LambdaHttpResult {
  const { 'set-cookie': cookie, ...headers } = response.headers;
  return { statusCode: response.status, headers, ...(cookie ? { cookies: [cookie] } : {}), body: response.body };
}
