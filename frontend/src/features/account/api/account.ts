import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { sessionKeys } from "@/lib/session";

export type ProfileUpdate = components["schemas"]["ProfileUpdate"];
export type ChangePassword = components["schemas"]["ChangePasswordRequest"];
export type SessionRow = components["schemas"]["SessionRead"];
export type ApiKey = components["schemas"]["ApiKeyRead"];
export type ApiKeyCreate = components["schemas"]["ApiKeyCreate"];
export type ApiKeyScope = components["schemas"]["ApiKeyScope"];

const LIST = { page: 1, limit: 100 } as const;

export const accountKeys = {
  all: ["account"] as const,
  sessions: () => [...accountKeys.all, "sessions"] as const,
  apiKeys: () => [...accountKeys.all, "api-keys"] as const,
};

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProfileUpdate) => unwrap(api.PATCH("/api/v1/auth/me", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangePassword) =>
      unwrap(api.POST("/api/v1/auth/change-password", { body })),
    // Every other session ended.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }),
  });
}

export function useSessions() {
  return useQuery({
    queryKey: accountKeys.sessions(),
    queryFn: () => unwrap(api.GET("/api/v1/auth/sessions", { params: { query: LIST } })),
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/auth/sessions/{session_id}", { params: { path: { session_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() }),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: accountKeys.apiKeys(),
    queryFn: () => unwrap(api.GET("/api/v1/auth/api-keys", { params: { query: LIST } })),
  });
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ApiKeyCreate) => unwrap(api.POST("/api/v1/auth/api-keys", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.apiKeys() }),
  });
}

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/auth/api-keys/{key_id}", { params: { path: { key_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.apiKeys() }),
  });
}
