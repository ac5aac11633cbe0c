import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { useSettings } from "@/features/admin-system/api/settings";
import { CopyField } from "@/features/admin-system/components/CopyField";
import { SECTIONS } from "@/features/admin-system/components/settingsFields";
import { SettingsSection } from "@/features/admin-system/components/SettingsSection";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";

/** Where Overseerr's webhook agent should post (this server, under its base path). */
function webhookUrl(): string {
  return new URL("api/v1/webhooks/overseerr", document.baseURI).href;
}

export function SettingsPage() {
  const { t } = useTranslation("admin-system");
  const settings = useSettings();
  return (
    <>
      <PageHeader title={t("settings.title")} description={t("settings.description")} />
      {settings.isPending && <LoadingState />}
      {settings.isError && <ApiErrorAlert error={settings.error} onRetry={() => void settings.refetch()} />}
      {settings.data && (
        <Stack gap="lg">
          {SECTIONS.map((spec) => (
            <SettingsSection
              // Fresh values (after a save) start a fresh form.
              key={`${spec.id}:${JSON.stringify(settings.data[spec.id])}`}
              spec={spec}
              settings={settings.data}
              extra={
                spec.id === "overseerr" ? (
                  <CopyField
                    label={t("settings.webhook.url")}
                    description={t("settings.webhook.help")}
                    value={webhookUrl()}
                  />
                ) : undefined
              }
            />
          ))}
        </Stack>
      )}
    </>
  );
}
