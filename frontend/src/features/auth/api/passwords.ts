import { useMutation, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";

export const passwordKeys = {
  all: ["password-link"] as const,
  token: (token: string) => [...passwordKeys.all, token] as const,
};

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (email: string) =>
      unwrap(api.POST("/api/v1/auth/password-reset/request", { body: { email } })),
  });
}

/** Checks a mailed link (reset or invitation) before showing the form. */
export function usePasswordLink(token: string) {
  return useQuery({
    queryKey: passwordKeys.token(token),
    queryFn: () => unwrap(api.POST("/api/v1/auth/password-reset/verify", { body: { token } })),
    enabled: token.length >= 10,
    staleTime: Infinity,
  });
}

export function useSetPassword(token: string) {
  return useMutation({
    mutationFn: (newPassword: string) =>
      unwrap(api.POST("/api/v1/auth/password-reset/confirm", { body: { token, newPassword } })),
  });
}
