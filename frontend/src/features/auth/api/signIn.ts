// Query hooks of the auth feature over the generated client.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { resetForNewSession, sessionKeys } from "@/lib/session";

type LoginRequest = components["schemas"]["LoginRequest"];
export type SignIn = components["schemas"]["SignInRead"];

/** After any sign-in: the session query gets the user without another round trip. */
export function useSignedIn() {
  const queryClient = useQueryClient();
  return async (signIn: SignIn) => {
    await resetForNewSession(queryClient);
    queryClient.setQueryData(sessionKeys.current(), { user: signIn.user, session: null });
    await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
  };
}

export function usePasswordSignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: LoginRequest) => unwrap(api.POST("/api/v1/auth/login", { body })),
    onSuccess: signedIn,
  });
}
