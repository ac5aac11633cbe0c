// The first-run wizard's calls: the first admin, then the admin settings API.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { useApplySignIn } from "@/lib/session";

type AdminBootstrap = components["schemas"]["AdminBootstrap"];
export type SettingsUpdate = components["schemas"]["SettingsUpdate"];
export type TestedService = "plex" | "overseerr" | "mail";

export const setupKeys = {
  settings: ["admin-settings"] as const,
};

export function useCreateAdmin() {
  const signedIn = useApplySignIn();
  return useMutation({
    mutationFn: (body: AdminBootstrap) => unwrap(api.POST("/api/v1/auth/admin", { body })),
    onSuccess: signedIn,
  });
}

export function useSettings(enabled: boolean) {
  return useQuery({
    queryKey: setupKeys.settings,
    queryFn: () => unwrap(api.GET("/api/v1/admin/settings")),
    enabled,
  });
}

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsUpdate) => unwrap(api.PUT("/api/v1/admin/settings", { body })),
    onSuccess: (settings) => queryClient.setQueryData(setupKeys.settings, settings),
  });
}

/** Tries the values without saving them; answers ok or what went wrong. */
export function useTestService(service: TestedService) {
  return useMutation({
    mutationFn: (values: Record<string, string>) =>
      unwrap(
        api.POST("/api/v1/admin/settings/{service}/test", {
          params: { path: { service } },
          body: values,
        }),
      ),
  });
}

/** A random Authorization value for Overseerr's webhook (shown once, stored as a secret). */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
