import { Alert, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, TagsInput, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { IconCircleCheck, IconCircleX } from "@tabler/icons-react";
import { useId, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { useTestService, useUpdateSettings, type SettingsRead } from "@/features/admin-system/api/settings";
import { SecretInput } from "@/features/admin-system/components/SecretInput";
import {
  changedValues,
  fieldErrors,
  initialValues,
  readEntries,
  valuesToTry,
  type FieldSpec,
  type FormValues,
  type ReadEntry,
  type SectionSpec,
} from "@/features/admin-system/components/settingsFields";
import { SourceBadge } from "@/features/admin-system/components/SourceBadge";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { formatNumber } from "@/features/admin-system/components/numbers";

/** One section of the settings page: its own form, Save and (for services) Test. */
export function SettingsSection({
  spec,
  settings,
  extra,
}: {
  spec: SectionSpec;
  settings: SettingsRead;
  extra?: ReactNode;
}) {
  const { t } = useTranslation("admin-system");
  const headingId = useId();
  const entries = readEntries(settings, spec.id);
  const form = useForm<FormValues>({ initialValues: initialValues(spec, entries) });
  const update = useUpdateSettings();
  const test = useTestService(spec.test ?? "plex");
  const sectionName = t(`settings.sections.${spec.id}.title`);
  const changes = changedValues(spec, form.values, (key) => form.isDirty(key));
  const hasChanges = Object.keys(changes).length > 0;

  const save = () => {
    for (const [key, value] of Object.entries(changes)) {
      if (value === "" && spec.fields.some((field) => field.key === key && field.kind === "secret")) {
        form.setFieldError(key, t("settings.secret.required"));
        return;
      }
    }
    update.mutate(
      { [spec.id]: changes },
      {
        onSuccess: () => {
          notifications.show({ color: "green", closeButtonProps: { "aria-label": t("close") }, message: t("settings.saved", { section: sectionName }) });
        },
        onError: (error) => form.setErrors(fieldErrors(error, spec.id)),
      },
    );
  };

  return (
    <Paper withBorder p={{ base: "sm", sm: "lg" }} radius="md" component="section" aria-labelledby={headingId}>
      <form
        noValidate
        onSubmit={form.onSubmit(() => {
          save();
        })}
      >
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id={headingId}>
              {t(`settings.sections.${spec.id}.title`)}
            </Title>
            <Text size="sm" c="dimmed">
              {t(`settings.sections.${spec.id}.description`)}
            </Text>
          </div>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {spec.fields.map((field) => (
              <SettingField key={field.key} form={form} spec={spec} field={field} entry={entries[field.key]} />
            ))}
          </SimpleGrid>
          {extra}
          {update.isError && <ApiErrorAlert error={update.error} title={t("settings.saveFailed")} />}
          {spec.test && <TestResult test={test} name={sectionName} />}
          <Group justify="flex-end" gap="xs">
            {spec.test && (
              <Button
                variant="default"
                loading={test.isPending}
                onClick={() =>
                  test.mutate(valuesToTry(changes), {
                    onError: (error) => form.setErrors(fieldErrors(error, spec.id)),
                  })
                }
              >
                {t("settings.test.button", { name: sectionName })}
              </Button>
            )}
            <Button type="submit" disabled={!hasChanges} loading={update.isPending}>
              {t("settings.save", { section: sectionName })}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function SettingField({
  form,
  spec,
  field,
  entry,
}: {
  form: ReturnType<typeof useForm<FormValues>>;
  spec: SectionSpec;
  field: FieldSpec;
  entry: ReadEntry | undefined;
}) {
  const { t } = useTranslation("admin-system");
  const label = t(`settings.fields.${spec.id}.${field.key}`);
  if (!entry) return null;
  if (field.kind === "secret") {
    return <SecretInput form={form} name={field.key} label={label} entry={entry} generate={field.key === "webhookSecret"} />;
  }
  const hint = field.hint ? t(`settings.hints.${spec.id}.${field.key}`) : null;
  const description = (
    <>
      {hint && <Text span size="xs" mr={6}>{hint}</Text>}
      <SourceBadge source={entry.source} />
    </>
  );
  const common = { label, description, inputWrapperOrder: ["label", "input", "description", "error"] as ("label" | "input" | "description" | "error")[] };
  if (field.kind === "number") {
    return <NumberInput {...common} min={0} allowDecimal={false} {...form.getInputProps(field.key)} />;
  }
  if (field.kind === "tags") {
    return <TagsInput {...common} clearable {...form.getInputProps(field.key)} />;
  }
  if (field.kind === "select") {
    return <Select {...common} data={field.options ?? []} allowDeselect={false} {...form.getInputProps(field.key)} />;
  }
  return <TextInput {...common} {...form.getInputProps(field.key)} />;
}

function TestResult({ test, name }: { test: ReturnType<typeof useTestService>; name: string }) {
  const { t } = useTranslation("admin-system");
  return (
    <div aria-live="polite">
      {test.data && (
        <Alert
          color={test.data.ok ? "green" : "red"}
          variant="default"
          icon={
            test.data.ok ? (
              <IconCircleCheck aria-hidden color="var(--mantine-color-green-6)" />
            ) : (
              <IconCircleX aria-hidden color="var(--mantine-color-red-6)" />
            )
          }
          title={test.data.ok ? t("settings.test.ok", { name }) : t("settings.test.failed", { name })}
        >
          <Text size="sm">{test.data.message}</Text>
          {test.data.responseMs !== null && (
            <Text size="xs" c="dimmed">
              {t("settings.test.took", { ms: formatNumber(test.data.responseMs) })}
            </Text>
          )}
        </Alert>
      )}
      {test.isError && <ApiErrorAlert error={test.error} title={t("settings.test.refused")} />}
    </div>
  );
}
