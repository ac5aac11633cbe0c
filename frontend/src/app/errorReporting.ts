// Front-end crashes go to POST /api/v1/errors/report (at most one report per message a minute).
import { api } from "@/lib/api/client";

const recentlyReported = new Map<string, number>();

export function reportError(error: unknown, componentStack?: string | null): void {
  const message = error instanceof Error ? error.message : String(error);
  const now = Date.now();
  if ((recentlyReported.get(message) ?? 0) > now - 60_000) return;
  recentlyReported.set(message, now);
  const stack = [error instanceof Error ? error.stack : null, componentStack]
    .filter(Boolean)
    .join("\n");
  void api
    .POST("/api/v1/errors/report", {
      body: {
        errors: [
          {
            message: message.slice(0, 2000) || "Unknown error",
            level: "error",
            error: {
              message: message.slice(0, 2000),
              stack: stack ? stack.slice(0, 30000) : null,
            },
            context: { component: "ErrorBoundary" },
          },
        ],
        timestamp: new Date().toISOString(),
        userAgent: navigator.userAgent.slice(0, 500),
        url: window.location.pathname.slice(0, 2000),
      },
    })
    .catch(() => undefined);
}
