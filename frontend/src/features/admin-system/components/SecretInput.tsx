import { Badge, Button, Group, PasswordInput, Stack, Text } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { IconCheck, IconX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { CopyField } from "@/features/admin-system/components/CopyField";
import { SourceBadge } from "@/features/admin-system/components/SourceBadge";
import {
  randomSecret,
  type FormValues,
  type ReadEntry,
  type SecretMode,
} from "@/features/admin-system/components/settingsFields";

/** A write-only secret: whether one is set, and "set", "replace" or "clear" it. */
export function SecretInput({
  form,
  name,
  label,
  entry,
  generate = false,
}: {
  form: UseFormReturnType<FormValues>;
  name: string;
  label: string;
  entry: ReadEntry;
  generate?: boolean;
}) {
  const { t } = useTranslation("admin-system");
  const mode = form.values[`${name}Mode`] as SecretMode;
  const value = form.values[name] as string;
  const setMode = (next: SecretMode, initial = "") => {
    form.setFieldValue(`${name}Mode`, next);
    form.setFieldValue(name, initial);
    form.clearFieldError(name);
  };
  const error = form.errors[name];
  return (
    <Stack gap={6}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={500} component="span">
          {label}
        </Text>
        <Badge
          size="xs"
          variant="default"
          radius="sm"
          tt="none"
          leftSection={entry.isSet ? <IconCheck size={12} aria-hidden /> : <IconX size={12} aria-hidden />}
        >
          {entry.isSet ? t("settings.secret.isSet") : t("settings.secret.notSet")}
        </Badge>
        <SourceBadge source={entry.source} />
      </Group>
      {mode === "keep" && (
        <Group gap="xs">
          <Button size="xs" variant="light" onClick={() => setMode("replace")} aria-label={`${entry.isSet ? t("settings.secret.replace") : t("settings.secret.set")}: ${label}`}>
            {entry.isSet ? t("settings.secret.replace") : t("settings.secret.set")}
          </Button>
          {generate && (
            <Button size="xs" variant="default" onClick={() => setMode("replace", randomSecret())}>
              {t("settings.secret.generate")}
            </Button>
          )}
          {entry.isSet && entry.source === "database" && (
            <Button size="xs" variant="default" onClick={() => setMode("clear")} aria-label={`${t("settings.secret.clear")}: ${label}`}>
              {t("settings.secret.clear")}
            </Button>
          )}
        </Group>
      )}
      {mode === "replace" && (
        <Stack gap={6}>
          <PasswordInput
            label={t("settings.secret.newValue", { name: label })}
            autoComplete="new-password"
            {...form.getInputProps(name)}
            error={error}
          />
          {generate && value && <CopyField label={t("settings.secret.copyLabel", { name: label })} value={value} />}
          <Group gap="xs">
            {generate && (
              <Button size="xs" variant="default" onClick={() => setMode("replace", randomSecret())}>
                {t("settings.secret.generate")}
              </Button>
            )}
            <Button size="xs" variant="subtle" onClick={() => setMode("keep")}>
              {t("settings.secret.keep")}
            </Button>
          </Group>
        </Stack>
      )}
      {mode === "clear" && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            {t("settings.secret.willClear")}
          </Text>
          <Button size="xs" variant="subtle" onClick={() => setMode("keep")}>
            {t("settings.secret.undo")}
          </Button>
        </Group>
      )}
      {mode !== "replace" && error && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
    </Stack>
  );
}
