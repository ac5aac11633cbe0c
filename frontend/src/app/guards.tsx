import { Navigate, Outlet, useLocation } from "react-router";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";
import { useSession } from "@/lib/session";

export const SIGN_IN_PATH = "/sign-in";

/** Signed-in pages: visitors go to the sign-in page, which brings them back afterwards. */
export function RequireSignedIn() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <LoadingState minHeight={400} />;
  if (session.isError) return <ApiErrorAlert error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return <Navigate to={`${SIGN_IN_PATH}${query}`} replace />;
  }
  return <Outlet />;
}

/** Signed-out pages (sign-in): someone signed in goes where they were heading. */
export function RequireSignedOut() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <LoadingState minHeight={400} />;
  if (session.data) {
    const next = new URLSearchParams(location.search).get("next");
    return <Navigate to={next?.startsWith("/") && !next.startsWith("//") ? next : "/"} replace />;
  }
  return <Outlet />;
}
