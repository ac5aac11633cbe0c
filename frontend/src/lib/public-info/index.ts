// What a signed-out browser needs to know about this MediaNest: whether setup is done, which
// sign-in methods are on, which services are configured (GET /public/info).
import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

export type PublicInfo = components["schemas"]["PublicInfoRead"];

export const publicInfoKeys = { all: ["public-info"] as const };

export function fetchPublicInfo(): Promise<PublicInfo> {
  return unwrap(api.GET("/api/v1/public/info"));
}

export function usePublicInfo() {
  return useQuery({
    queryKey: publicInfoKeys.all,
    queryFn: fetchPublicInfo,
    staleTime: 5 * 60_000,
  });
}
