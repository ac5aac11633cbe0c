import { Code, CopyButton, Button, Group, List, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { newWebhookSecret, useSaveSettings } from "@/features/setup/api/setup";
import { ServiceTest } from "@/features/setup/components/ServiceTest";
import { StepActions } from "@/features/setup/components/StepActions";
import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { serverBaseUrl } from "@/lib/base";

function Copyable({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <Code block style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap" }}>
          {value}
        </Code>
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy} aria-label={`${t("actions.copy")}: ${label}`}>
              {copied ? t("actions.copied") : t("actions.copy")}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

export function OverseerrStep({ initialUrl, onDone }: { initialUrl: string; onDone: () => void }) {
  const { t } = useTranslation("setup");
  const save = useSaveSettings();
  const [secret, setSecret] = useState<string | null>(null);
  const form = useForm({
    initialValues: { url: initialUrl, apiKey: "" },
    validate: {
      url: (v) => (/^https?:\/\/\S+$/.test(v) ? null : t("urlInvalid")),
      apiKey: (v) => (v.trim() ? null : t("overseerr.apiKeyRequired")),
    },
  });

  if (secret) {
    return (
      <Stack gap="sm">
        <Text size="sm">{t("overseerr.webhookIntro")}</Text>
        <List type="ordered" size="sm" spacing={4}>
          <List.Item>{t("overseerr.webhookStep1")}</List.Item>
          <List.Item>{t("overseerr.webhookStep2")}</List.Item>
          <List.Item>{t("overseerr.webhookStep3")}</List.Item>
          <List.Item>{t("overseerr.webhookStep4")}</List.Item>
        </List>
        <Copyable label={t("overseerr.webhookUrl")} value={`${serverBaseUrl()}/api/v1/webhooks/overseerr`} />
        <Copyable label={t("overseerr.webhookSecret")} value={secret} />
        <Text size="xs" c="dimmed">
          {t("overseerr.secretOnce")}
        </Text>
        <Group justify="flex-end">
          <Button onClick={onDone}>{t("continue")}</Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form
      onSubmit={form.onSubmit((values) => {
        const webhookSecret = newWebhookSecret();
        save.mutate(
          { overseerr: { url: values.url, apiKey: values.apiKey, webhookSecret } },
          { onSuccess: () => setSecret(webhookSecret) },
        );
      })}
      noValidate
    >
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("overseerr.intro")}
        </Text>
        {save.isError && <ApiErrorAlert error={save.error} />}
        <TextInput
          label={t("overseerr.url")}
          placeholder="http://192.168.1.10:5055"
          required
          {...form.getInputProps("url")}
        />
        <PasswordInput
          label={t("overseerr.apiKey")}
          description={t("overseerr.apiKeyHint")}
          required
          {...form.getInputProps("apiKey")}
        />
        <Group>
          <ServiceTest
            service="overseerr"
            values={{ url: form.values.url, apiKey: form.values.apiKey }}
            disabled={!form.values.url || !form.values.apiKey}
          />
        </Group>
        <StepActions onSkip={onDone} submitLabel={t("saveAndContinue")} loading={save.isPending} />
      </Stack>
    </form>
  );
}
