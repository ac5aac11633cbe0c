// Services: each one's latest check in detail, and one service's recent history.
import { useQuery } from "@tanstack/react-query";

import { systemKeys } from "@/features/admin-system/api/keys";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

export type AdminService = components["schemas"]["AdminServiceRead"];
export type HistoryPoint = components["schemas"]["HistoryPoint"];

export function useServices() {
  return useQuery({
    queryKey: systemKeys.services(),
    queryFn: () => unwrap(api.GET("/api/v1/admin/services")),
  });
}

export function useServiceHistory(name: string) {
  return useQuery({
    queryKey: systemKeys.serviceHistory(name),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/dashboard/status/{service}", {
          params: { path: { service: name }, query: { points: 60 } },
        }),
      ),
  });
}
