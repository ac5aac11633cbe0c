// A tiny in-memory stand-in for MediaNest's HTTP API, for tests of the client's fetch logic.
// It keeps cookies like a browser would and answers with real envelopes.

export interface Recorded {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

type Handler = (request: Recorded, server: FakeServer) => Response | Promise<Response>;

export function envelope(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ success: true, data }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function errorEnvelope(
  status: number,
  code: string,
  message: string,
  correlationId = "corr-123",
): Response {
  return new Response(
    JSON.stringify({ success: false, error: { code, message }, correlationId }),
    {
      status,
      headers: { "content-type": "application/json", "X-Correlation-ID": correlationId },
    },
  );
}

export class FakeServer {
  readonly origin = "http://medianest.test";
  readonly requests: Recorded[] = [];
  readonly cookies = new Map<string, string>();
  private readonly routes = new Map<string, Handler>();

  route(method: string, path: string, handler: Handler): this {
    this.routes.set(`${method} ${path}`, handler);
    return this;
  }

  cookieHeader = (): string =>
    [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");

  fetch = async (input: Request): Promise<Response> => {
    const url = new URL(input.url);
    const recorded: Recorded = {
      method: input.method,
      path: url.pathname,
      headers: new Headers(input.headers),
      body: input.body ? await input.text() : "",
    };
    this.requests.push(recorded);
    const handler = this.routes.get(`${input.method} ${url.pathname}`);
    if (!handler) return errorEnvelope(404, "NOT_FOUND", `No route ${url.pathname}`);
    return handler(recorded, this);
  };

  calls(method: string, path: string): Recorded[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }
}
