import { Alert } from "@mantine/core";
import { IconCheck } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";

export type FeedbackState = { kind: "success"; message: string } | { kind: "error"; error: unknown } | null;

/** The outcome of the last action on a page: a polite success note or the API's refusal. */
export function Feedback({ state, onClose }: { state: FeedbackState; onClose: () => void }) {
  const { t } = useTranslation("admin");
  if (!state) return null;
  if (state.kind === "error") return <ApiErrorAlert error={state.error} />;
  return (
    <Alert
      color="green"
      variant="light"
      icon={<IconCheck aria-hidden />}
      withCloseButton
      closeButtonLabel={t("close")}
      onClose={onClose}
      role="status"
    >
      {state.message}
    </Alert>
  );
}
