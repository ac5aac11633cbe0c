import { Alert, Button } from "@mantine/core";
import { IconPlugConnected } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { useTestService, type TestedService } from "@/features/setup/api/setup";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";

/** A "Test connection" button and what the server found out, without saving anything. */
export function ServiceTest({
  service,
  values,
  disabled,
}: {
  service: TestedService;
  values: Record<string, string>;
  disabled?: boolean;
}) {
  const { t } = useTranslation("setup");
  const test = useTestService(service);
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconPlugConnected size={16} aria-hidden />}
        onClick={() => test.mutate(values)}
        loading={test.isPending}
        disabled={disabled}
      >
        {t("test.button")}
      </Button>
      {test.isError && <ApiErrorAlert error={test.error} />}
      {test.data && (
        <Alert
          color={test.data.ok ? "green" : "red"}
          variant="light"
          role="status"
          title={test.data.ok ? t("test.ok") : t("test.failed")}
        >
          {test.data.message}
          {test.data.responseMs != null && ` (${Math.round(test.data.responseMs)} ms)`}
        </Alert>
      )}
    </>
  );
}
