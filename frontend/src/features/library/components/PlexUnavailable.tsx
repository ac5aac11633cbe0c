import { Button } from "@mantine/core";
import { IconPlugConnectedX, IconServerOff } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { EmptyState } from "@/components/EmptyState";
import { isApiError } from "@/lib/api/errors";

/** A failed Plex call: "not connected" and "unreachable" get their own calm states. */
export function PlexUnavailable({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation("library");
  const { t: tc } = useTranslation();
  const code = isApiError(error) ? error.code : null;
  if (code === "PLEX_NOT_CONFIGURED") {
    return (
      <EmptyState
        icon={<IconPlugConnectedX size={30} stroke={1.5} />}
        title={t("unavailable.notConfiguredTitle")}
        description={t("unavailable.notConfiguredBody")}
      />
    );
  }
  if (code === "PLEX_UNREACHABLE") {
    return (
      <EmptyState
        icon={<IconServerOff size={30} stroke={1.5} />}
        title={t("unavailable.unreachableTitle")}
        description={t("unavailable.unreachableBody")}
        action={
          <Button variant="light" onClick={onRetry}>
            {tc("actions.retry")}
          </Button>
        }
      />
    );
  }
  return <ApiErrorAlert error={error} onRetry={onRetry} />;
}
