import { Button, Group, MultiSelect, Paper, Radio, Stack, Textarea, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { IconSend } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { PageHeader } from "@/components/PageHeader";
import { type Severity, useBroadcast, useUsers } from "@/features/admin/api/admin";
import { Feedback, type FeedbackState } from "@/features/admin/components/Feedback";

const SEVERITIES: Severity[] = ["info", "success", "warning", "error"];

export function BroadcastPage() {
  const { t } = useTranslation("admin");
  const broadcast = useBroadcast();
  const people = useUsers({ page: 1, limit: 100, sort: "username:asc" });
  const [feedback, setFeedback] = useState<FeedbackState>(null);
  const form = useForm({
    initialValues: {
      title: "",
      message: "",
      severity: "info" as Severity,
      audience: "everyone" as "everyone" | "chosen",
      userIds: [] as string[],
    },
    validate: {
      title: (value) => (value.trim() ? null : t("broadcast.titleRequired")),
      message: (value) => (value.trim() ? null : t("broadcast.messageRequired")),
      userIds: (value, values) =>
        values.audience === "chosen" && value.length === 0 ? t("broadcast.usersRequired") : null,
    },
  });
  const send = form.onSubmit((values) =>
    broadcast.mutate(
      {
        title: values.title.trim(),
        message: values.message.trim(),
        severity: values.severity,
        userIds: values.audience === "chosen" ? values.userIds : null,
      },
      {
        onSuccess: (data) => {
          setFeedback({ kind: "success", message: t("broadcast.sent", { count: data.recipients }) });
          form.reset();
        },
      },
    ),
  );
  return (
    <>
      <PageHeader title={t("broadcast.title")} description={t("broadcast.description")} />
      <Stack maw={640}>
        <Feedback state={feedback} onClose={() => setFeedback(null)} />
        <Paper withBorder p="md" radius="md">
          <form onSubmit={send} noValidate>
            <Stack>
              <Radio.Group label={t("broadcast.audience")} {...form.getInputProps("audience")}>
                <Group mt="xs" gap="lg">
                  <Radio value="everyone" label={t("broadcast.everyone")} />
                  <Radio value="chosen" label={t("broadcast.chosen")} />
                </Group>
              </Radio.Group>
              {form.values.audience === "chosen" && (
                <MultiSelect
                  label={t("broadcast.users")}
                  data={(people.data?.items ?? []).map((user) => ({
                    value: user.id,
                    label: user.name ?? user.username,
                  }))}
                  searchable
                  required
                  {...form.getInputProps("userIds")}
                />
              )}
              <Radio.Group label={t("broadcast.severity")} {...form.getInputProps("severity")}>
                <Group mt="xs" gap="lg">
                  {SEVERITIES.map((value) => (
                    <Radio key={value} value={value} label={t(`severity.${value}`)} />
                  ))}
                </Group>
              </Radio.Group>
              <TextInput label={t("broadcast.subject")} required maxLength={200} {...form.getInputProps("title")} />
              <Textarea
                label={t("broadcast.message")}
                required
                autosize
                minRows={4}
                maxLength={5000}
                {...form.getInputProps("message")}
              />
              {broadcast.isError && <ApiErrorAlert error={broadcast.error} />}
              <Group justify="flex-end">
                <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} loading={broadcast.isPending}>
                  {t("broadcast.send")}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </>
  );
}
