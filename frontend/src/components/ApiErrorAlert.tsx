import { Alert, Button, Code, Group, List, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { isApiError } from "@/lib/api/errors";

/** The per-field messages of a VALIDATION_ERROR (`details: [{field, message}]`). */
export function detailMessages(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details
    .map((item: unknown) =>
      typeof item === "object" && item !== null && "message" in item ? String(item.message) : "",
    )
    .filter(Boolean);
}

/** Shows a failed call: the server's message and the correlation id to quote. */
export function ApiErrorAlert({
  error,
  title,
  onRetry,
}: {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  const apiError = isApiError(error) ? error : null;
  const message =
    apiError?.code === "NETWORK_ERROR"
      ? t("errors.network")
      : (apiError?.message ?? (error instanceof Error ? error.message : String(error)));
  return (
    <Alert
      color="red"
      variant="light"
      title={title ?? t("errors.title")}
      icon={<IconAlertTriangle aria-hidden />}
      role="alert"
    >
      <Stack gap="xs">
        <Text size="sm">{message}</Text>
        {apiError && detailMessages(apiError.details).length > 1 && (
          <List size="sm">
            {detailMessages(apiError.details).map((line) => (
              <List.Item key={line}>{line}</List.Item>
            ))}
          </List>
        )}
        {apiError?.correlationId && (
          <Text size="xs" c="dimmed">
            {t("errors.correlationId", { id: "" })}
            <Code>{apiError.correlationId}</Code>
          </Text>
        )}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              {t("actions.retry")}
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
