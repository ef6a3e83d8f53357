/** What the handlers need of a request: framework-free, so Lambda and `node:http` both adapt to it. */
export interface HttpRequest {
  method: string;
  /** Without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names; `cookie` joined with `; ` when a runtime splits it (Lambda's `cookies`). */
  headers: Record<string, string | undefined>;
  /** Exactly the bytes sent, as UTF-8: Slack's signature covers the raw body. */
  body: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** At most one cookie is ever set; the Lambda adapter moves it to `cookies`. */
  body: string;
}

export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>;

export const text = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  body,
});

export const json = (status: number, value: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  body: JSON.stringify(value),
});
