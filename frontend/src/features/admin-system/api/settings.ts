// Settings: read, change (only the keys sent) and try a service's connection.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { systemKeys } from "@/features/admin-system/api/keys";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { publicInfoKeys } from "@/lib/public-info";

export type SettingsRead = components["schemas"]["SettingsRead"];
export type SettingsUpdate = components["schemas"]["SettingsUpdate"];
export type ServiceTestRead = components["schemas"]["ServiceTestRead"];
export type SettingSource = components["schemas"]["SettingSource"];
export type TestableService = "plex" | "overseerr" | "mail";

export function useSettings() {
  return useQuery({
    queryKey: systemKeys.settings(),
    queryFn: () => unwrap(api.GET("/api/v1/admin/settings")),
  });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsUpdate) => unwrap(api.PUT("/api/v1/admin/settings", { body })),
    onSuccess: (view) => {
      queryClient.setQueryData(systemKeys.settings(), view);
      void queryClient.invalidateQueries({ queryKey: systemKeys.services() });
      // The title, sign-in methods and which services are set up (e.g. mail for invitations).
      void queryClient.invalidateQueries({ queryKey: publicInfoKeys.all });
    },
  });
}

export function useTestService(service: TestableService) {
  return useMutation({
    mutationFn: (values: Record<string, unknown>) =>
      unwrap(
        api.POST("/api/v1/admin/settings/{service}/test", {
          params: { path: { service } },
          body: Object.keys(values).length > 0 ? values : null,
        }),
      ),
  });
}
