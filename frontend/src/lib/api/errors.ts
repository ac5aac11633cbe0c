import type { components } from "@/lib/api/schema";

export type ErrorCode = components["schemas"]["ErrorCode"];
type ErrorEnvelope = components["schemas"]["ErrorEnvelope"];

/** Codes the client itself produces when no error envelope came back. */
export type ClientErrorCode = "NETWORK_ERROR" | "HTTP_ERROR";

/** A failed API call: the server's error envelope (or what we know when there was none). */
export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly correlationId: string | null,
    readonly details: unknown = null,
  ) {
    super(message);
  }

  /** Builds the error from a failed response, reading its envelope when it has one. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const headerId = response.headers.get("X-Correlation-ID");
    const envelope = await readEnvelope(response);
    if (envelope) {
      return new ApiError(
        response.status,
        envelope.error.code,
        envelope.error.message,
        envelope.correlationId || headerId,
        envelope.error.details ?? null,
      );
    }
    return new ApiError(
      response.status,
      "HTTP_ERROR",
      response.statusText || `HTTP ${response.status}`,
      headerId,
    );
  }

  static fromEnvelope(body: unknown, response: Response): ApiError {
    if (isErrorEnvelope(body)) {
      return new ApiError(
        response.status,
        body.error.code,
        body.error.message,
        body.correlationId || response.headers.get("X-Correlation-ID"),
        body.error.details ?? null,
      );
    }
    return new ApiError(
      response.status,
      "HTTP_ERROR",
      response.statusText || `HTTP ${response.status}`,
      response.headers.get("X-Correlation-ID"),
    );
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, "NETWORK_ERROR", "MediaNest could not be reached.", null);
    error.cause = cause;
    return error;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as { success?: unknown; error?: { code?: unknown; message?: unknown } };
  return (
    candidate.success === false &&
    typeof candidate.error?.code === "string" &&
    typeof candidate.error.message === "string"
  );
}

async function readEnvelope(response: Response): Promise<ErrorEnvelope | null> {
  if (!response.headers.get("content-type")?.includes("application/json")) return null;
  try {
    const body: unknown = await response.clone().json();
    return isErrorEnvelope(body) ? body : null;
  } catch {
    return null;
  }
}
