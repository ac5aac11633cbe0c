import { Button, Center, Stack, Text, Title } from "@mantine/core";
import { Component, useEffect, type ErrorInfo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router";

import { reportError } from "@/app/errorReporting";

function CrashScreen() {
  const { t } = useTranslation();
  return (
    <Center mih="60vh" p="md">
      <Stack align="center" gap="sm" ta="center" role="alert">
        <Title order={1} size="h2">
          {t("errors.crashTitle")}
        </Title>
        <Text c="dimmed">{t("errors.crashBody")}</Text>
        <Button onClick={() => window.location.reload()}>{t("errors.reload")}</Button>
      </Stack>
    </Center>
  );
}

/** Catches render crashes outside the router, reports them and shows a reload screen. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { crashed: boolean }> {
  override state = { crashed: false };

  static getDerivedStateFromError(): { crashed: boolean } {
    return { crashed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    reportError(error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.crashed ? <CrashScreen /> : this.props.children;
  }
}

/** The router's errorElement: the same, for errors thrown while rendering a route. */
export function RouteErrorScreen() {
  const error = useRouteError();
  useEffect(() => reportError(error), [error]);
  return <CrashScreen />;
}
