import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";

import { serverBaseUrl } from "@/lib/base";
import { sessionKeys } from "@/lib/session";
import { RealtimeClient } from "@/lib/socket/client";
import { RealtimeProvider } from "@/lib/socket/react";

async function refreshSession(): Promise<boolean> {
  const response = await fetch(`${serverBaseUrl()}/api/v1/auth/refresh`, {
    method: "POST",
    credentials: "same-origin",
  });
  return response.ok;
}

/** One realtime connection per signed-in app; everything is refetched after a reconnect. */
export function RealtimeConnection({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [client] = useState(
    () =>
      new RealtimeClient({
        baseUrl: serverBaseUrl(),
        refreshSession,
        onReconnect: () => void queryClient.invalidateQueries(),
        onSessionEnded: () => void queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
      }),
  );
  useEffect(() => {
    client.open("/authenticated");
    return () => client.close();
  }, [client]);
  return <RealtimeProvider client={client}>{children}</RealtimeProvider>;
}
