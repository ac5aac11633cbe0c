import { Group, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";

import { useSaveSettings } from "@/features/setup/api/setup";
import { ServiceTest } from "@/features/setup/components/ServiceTest";
import { StepActions } from "@/features/setup/components/StepActions";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";

export function PlexStep({ initialUrl, onDone }: { initialUrl: string; onDone: () => void }) {
  const { t } = useTranslation("setup");
  const save = useSaveSettings();
  const form = useForm({
    initialValues: { url: initialUrl, token: "" },
    validate: {
      url: (v) => (/^https?:\/\/\S+$/.test(v) ? null : t("urlInvalid")),
      token: (v) => (v.trim() ? null : t("plex.tokenRequired")),
    },
  });
  return (
    <form
      onSubmit={form.onSubmit((values) =>
        save.mutate({ plex: { url: values.url, token: values.token } }, { onSuccess: onDone }),
      )}
      noValidate
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("plex.intro")}
        </Text>
        {save.isError && <ApiErrorAlert error={save.error} />}
        <TextInput
          label={t("plex.url")}
          placeholder="http://192.168.1.10:32400"
          required
          {...form.getInputProps("url")}
        />
        <PasswordInput
          label={t("plex.token")}
          description={t("plex.tokenHint")}
          required
          {...form.getInputProps("token")}
        />
        <Group>
          <ServiceTest
            service="plex"
            values={{ url: form.values.url, token: form.values.token }}
            disabled={!form.values.url || !form.values.token}
          />
        </Group>
        <StepActions onSkip={onDone} submitLabel={t("saveAndContinue")} loading={save.isPending} />
      </Stack>
    </form>
  );
}
