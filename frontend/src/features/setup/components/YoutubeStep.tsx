import { Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useTranslation } from "react-i18next";

import { useSaveSettings } from "@/features/setup/api/setup";
import { StepActions } from "@/features/setup/components/StepActions";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";

export function YoutubeStep({ initialDir, onDone }: { initialDir: string; onDone: () => void }) {
  const { t } = useTranslation("setup");
  const save = useSaveSettings();
  const form = useForm({
    initialValues: { libraryDir: initialDir },
    validate: { libraryDir: (v) => (v.trim() ? null : t("youtube.required")) },
  });
  return (
    <form
      onSubmit={form.onSubmit((values) =>
        save.mutate({ youtube: { libraryDir: values.libraryDir } }, { onSuccess: onDone }),
      )}
      noValidate
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("youtube.intro")}
        </Text>
        {save.isError && <ApiErrorAlert error={save.error} />}
        <TextInput label={t("youtube.libraryDir")} required {...form.getInputProps("libraryDir")} />
        <StepActions onSkip={onDone} submitLabel={t("saveAndContinue")} loading={save.isPending} />
      </Stack>
    </form>
  );
}
