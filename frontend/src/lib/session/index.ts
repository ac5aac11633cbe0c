// Who is signed in: the one query every feature and the route guards share.
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import { isApiError } from "@/lib/api/errors";
import type { components } from "@/lib/api/schema";

export type SessionInfo = components["schemas"]["SessionInfoRead"];
export type CurrentUser = components["schemas"]["UserRead"];

export const sessionKeys = {
  all: ["session"] as const,
  current: () => [...sessionKeys.all, "current"] as const,
};

/** The session, or null when signed out (401 is an answer here, not an error). */
export async function fetchSession(): Promise<SessionInfo | null> {
  try {
    return await unwrap(api.GET("/api/v1/auth/session"));
  } catch (error) {
    if (isApiError(error) && (error.status === 401 || error.status === 403)) return null;
    throw error;
  }
}

export function useSession() {
  return useQuery({
    queryKey: sessionKeys.current(),
    queryFn: fetchSession,
    staleTime: 60_000,
    retry: false,
  });
}

export function useCurrentUser(): CurrentUser | null {
  return useSession().data?.user ?? null;
}

/** After sign-in or sign-out: everything cached belonged to the previous user. */
export async function resetForNewSession(queryClient: QueryClient): Promise<void> {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.all[0] });
  await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
}

/** After any sign-in (password, Plex, first admin): the new user is the session at once. */
export function useApplySignIn() {
  const queryClient = useQueryClient();
  return async (signIn: { user: CurrentUser }) => {
    await resetForNewSession(queryClient);
    queryClient.setQueryData(sessionKeys.current(), { user: signIn.user, session: null });
    await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
  };
}
