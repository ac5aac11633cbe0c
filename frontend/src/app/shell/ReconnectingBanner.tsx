import { Alert, Loader } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useConnectionState } from "@/lib/socket/react";

/** A small banner while the live connection is down; it goes away once reconnected. */
export function ReconnectingBanner() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (state !== "reconnecting") return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      mb="md"
      py={6}
      role="status"
      icon={<Loader size={14} color="yellow" aria-hidden />}
    >
      {t("shell.reconnecting")}
    </Alert>
  );
}
