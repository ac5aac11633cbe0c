import type { ReactNode } from "react";
import { Redirect, useLocation } from "wouter";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";
import { usePublicInfo } from "@/lib/public-info";
import { useSearchParams } from "@/lib/routing";
import { useSession } from "@/lib/session";

export const SIGN_IN_PATH = "/sign-in";
export const SETUP_PATH = "/setup";

/** Signed-in pages: visitors go to the sign-in page, which brings them back afterwards (or
 * to the setup wizard while the install has no admin). */
export function RequireSignedIn({ children }: { children: ReactNode }) {
  const session = useSession();
  const info = usePublicInfo();
  const [path] = useLocation();
  const [params] = useSearchParams();
  if (session.isPending || (!session.data && info.isPending)) {
    return <LoadingState minHeight={400} />;
  }
  if (session.isError) return <ApiErrorAlert error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.data && info.data?.setupDone === false) {
    return <Redirect to={SETUP_PATH} replace />;
  }
  if (!session.data) {
    const search = params.toString();
    const next = search ? `${path}?${search}` : path;
    const query = next === "/" ? "" : `?next=${encodeURIComponent(next)}`;
    return <Redirect to={`${SIGN_IN_PATH}${query}`} replace />;
  }
  return children;
}

/** Signed-out pages (sign-in): someone signed in goes where they were heading. On an
 * install without an admin visitors go to the setup wizard, unless Plex sign-in is on (the
 * Plex server's owner may then become the first admin by signing in with Plex). */
export function RequireSignedOut({ children }: { children: ReactNode }) {
  const session = useSession();
  const info = usePublicInfo();
  const [params] = useSearchParams();
  if (session.isPending || info.isPending) return <LoadingState minHeight={400} />;
  if (!session.data && info.data?.setupDone === false && !info.data.signInMethods.plex) {
    return <Redirect to={SETUP_PATH} replace />;
  }
  if (session.data) {
    const next = params.get("next");
    return <Redirect to={next?.startsWith("/") && !next.startsWith("//") ? next : "/"} replace />;
  }
  return children;
}
