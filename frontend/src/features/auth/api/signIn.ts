// Query hooks of the auth feature over the generated client.
import { useMutation } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { useApplySignIn } from "@/lib/session";

type LoginRequest = components["schemas"]["LoginRequest"];
export type SignIn = components["schemas"]["SignInRead"];

export function usePasswordSignIn() {
  const signedIn = useApplySignIn();
  return useMutation({
    mutationFn: (body: LoginRequest) => unwrap(api.POST("/api/v1/auth/login", { body })),
    onSuccess: signedIn,
  });
}
