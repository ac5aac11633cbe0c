// What a signed-out browser needs to know about this MediaNest (setup done? which sign-in
// methods?). Until the public endpoint lands, `fetchPublicInfo` answers what can be known
// without it; switching to `GET /api/v1/public/info` (or however it is named) is this file only.
import { useQuery } from "@tanstack/react-query";

export interface PublicInfo {
  /** null: unknown (no endpoint says it yet); the wizard finds out when creating the admin. */
  setupComplete: boolean | null;
  signIn: { password: boolean; plex: boolean };
  title: string;
}

export const publicInfoKeys = { all: ["public-info"] as const };

export function fetchPublicInfo(): Promise<PublicInfo> {
  return Promise.resolve({
    setupComplete: null,
    signIn: { password: true, plex: true },
    title: "MediaNest",
  });
}

export function usePublicInfo() {
  return useQuery({
    queryKey: publicInfoKeys.all,
    queryFn: fetchPublicInfo,
    staleTime: 5 * 60_000,
  });
}
