import { MantineProvider } from "@mantine/core";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { i18n as I18n } from "i18next";
import { useEffect, useState, type ReactNode } from "react";
import { I18nextProvider } from "react-i18next";

import { colorSchemeManager, cssVariablesResolver, theme } from "@/app/theme";
import { onSessionExpired } from "@/lib/api/client";
import { isApiError } from "@/lib/api/errors";
import { sessionKeys } from "@/lib/session";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // 4xx answers will not change by asking again.
        retry: (failures, error) =>
          failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      },
    },
  });
}

export function AppProviders({
  i18n,
  queryClient,
  children,
}: {
  i18n: I18n;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  useEffect(() => {
    onSessionExpired(() => queryClient.setQueryData(sessionKeys.current(), null));
    return () => onSessionExpired(null);
  }, [queryClient]);
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <MantineProvider
          theme={theme}
          cssVariablesResolver={cssVariablesResolver}
          defaultColorScheme="dark"
          colorSchemeManager={colorSchemeManager}
        >
          {children}
        </MantineProvider>
      </QueryClientProvider>
    </I18nextProvider>
  );
}

export function useStableQueryClient(): QueryClient {
  const [client] = useState(createQueryClient);
  return client;
}
