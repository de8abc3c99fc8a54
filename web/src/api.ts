// The one way the console talks to depot: same-origin fetch with the session cookie, the CSRF
// token on every write, and problem+json errors turned into ApiError with per-field messages.

export interface FieldMessage {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly fields: FieldMessage[];

  constructor(status: number, title: string, detail: string, fields: FieldMessage[]) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.fields = fields;
  }

  // The message for one field (e.g. "customer.phone"), or for any field under it.
  fieldMessage(field: string): string | undefined {
    const exact = this.fields.find((f) => f.field === field);
    if (exact) return exact.message;
    return this.fields.find((f) => f.field.startsWith(field + ".") || f.field.startsWith(field + "["))
      ?.message;
  }
}

export interface Page<T> {
  items: T[];
  next_cursor: string;
}

type Query = Record<string, string | number | boolean | undefined | null>;

let csrfToken = "";
let onUnauthenticated: () => void = () => {};

export function setCsrfToken(token: string): void {
  csrfToken = token;
}

// Called when a request answers 401: the session expired or was ended elsewhere.
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export interface RequestOptions {
  query?: Query;
  headers?: Record<string, string>;
  // Leave a 401 to the caller (the login form), instead of sending the user to the login page.
  quietUnauthenticated?: boolean;
}

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob || typeof body === "string") {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    body: payload,
    credentials: "same-origin",
  });
  if (!response.ok) {
    const error = await toError(response);
    if (response.status === 401 && !options.quietUnauthenticated) onUnauthenticated();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("Content-Type") ?? "";
  if (type.includes("json")) return (await response.json()) as T;
  return (await response.text()) as T;
}

async function toError(response: Response): Promise<ApiError> {
  try {
    const problem = await response.json();
    return new ApiError(
      response.status,
      String(problem.title ?? response.statusText),
      String(problem.detail ?? ""),
      Array.isArray(problem.errors) ? problem.errors : [],
    );
  } catch {
    return new ApiError(response.status, response.statusText, "", []);
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>("GET", path, undefined, { query }),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("POST", path, body ?? {}, options),
  patch: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>("PATCH", path, body, options),
  put: <T>(path: string, body: unknown, options?: RequestOptions) =>
    request<T>("PUT", path, body, options),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("DELETE", path, body, options),
};
