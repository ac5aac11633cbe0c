import { Button, Checkbox, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components";
import {
  useCreateRequest,
  useRequestQuota,
  type MediaDetails,
} from "@/features/discover/api/discover";
import { toggleAll, type SeasonChoice } from "@/features/discover/components/availability";
import { formatDateTime } from "@/lib/format";

const COMMENT_MAX = 2000;
const ALREADY_THERE = new Set(["available", "processing", "pending"]);

interface Values {
  seasons: string[];
  comment: string;
}

function QuotaLine() {
  const { t, i18n } = useTranslation("discover");
  const quota = useRequestQuota().data;
  if (!quota) return <Text size="sm" c="dimmed">{t("request.quotaUnknown")}</Text>;
  return (
    <Text size="sm" c={quota.remaining === 0 ? "red" : "dimmed"} data-testid="request-quota">
      {quota.remaining === 0
        ? t("request.quotaSpent", {
            time: formatDateTime(new Date(quota.resetAt * 1000).toISOString(), i18n.language),
          })
        : t("request.quota", { remaining: quota.remaining, limit: quota.limit })}
    </Text>
  );
}

function SeasonPicker({
  choices,
  value,
  onChange,
  error,
}: {
  choices: SeasonChoice[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
}) {
  const { t } = useTranslation("discover");
  const requestable = choices.filter((choice) => choice.requestable);
  const picked = value.length;
  const all = picked > 0 && picked === requestable.length;
  const someTaken = requestable.length < choices.length;
  return (
    <Stack gap="xs">
      <Checkbox
        label={someTaken ? t("request.allRemainingSeasons") : t("request.allSeasons")}
        checked={all}
        indeterminate={picked > 0 && !all}
        onChange={() =>
          onChange(toggleAll(value.map(Number), choices).map(String))
        }
        fw={600}
      />
      <Checkbox.Group
        label={t("request.seasons")}
        value={value}
        onChange={onChange}
        error={error}
      >
        <Stack gap={6} mt={6} pl="md">
          {choices.map((choice) => (
            <Checkbox
              key={choice.seasonNumber}
              value={String(choice.seasonNumber)}
              disabled={!choice.requestable}
              label={choice.name ?? t("details.seasonNumber", { number: choice.seasonNumber })}
              description={
                choice.requestable
                  ? choice.episodeCount != null
                    ? t("request.episodes", { count: choice.episodeCount })
                    : undefined
                  : ALREADY_THERE.has(choice.availability)
                    ? t(`seasonStatus.${choice.availability}`)
                    : t("request.inYourRequest")
              }
            />
          ))}
        </Stack>
      </Checkbox.Group>
    </Stack>
  );
}

/** Asks for a film, or seasons of a show, with an optional comment for the admins. */
export function RequestDialog({
  media,
  choices,
  opened,
  onClose,
}: {
  media: MediaDetails;
  choices: SeasonChoice[];
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation("discover");
  const create = useCreateRequest();
  const isShow = media.mediaType === "tv";
  const form = useForm<Values>({
    initialValues: {
      seasons: choices.filter((c) => c.requestable).map((c) => String(c.seasonNumber)),
      comment: "",
    },
    validate: {
      seasons: (value) => (isShow && value.length === 0 ? t("request.pickSeason") : null),
      comment: (value) => (value.length > COMMENT_MAX ? t("request.commentTooLong") : null),
    },
  });

  const close = () => {
    create.reset();
    onClose();
  };

  const submit = form.onSubmit((values) => {
    const comment = values.comment.trim();
    create.mutate(
      {
        mediaType: media.mediaType,
        tmdbId: media.tmdbId,
        ...(isShow ? { seasons: values.seasons.map(Number).sort((a, b) => a - b) } : {}),
        ...(comment ? { comment } : {}),
      },
      {
        onSuccess: () => {
          // No title: Mantine dims the message under one below AA contrast.
          notifications.show({
            color: "green",
            message: t("request.sent", { title: media.title }),
            closeButtonProps: { "aria-label": t("common:actions.close") },
          });
          form.reset();
          close();
        },
      },
    );
  });

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t("request.title", { title: media.title })}
      size="md"
      closeButtonProps={{ "aria-label": t("common:actions.close") }}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {isShow && (
            <SeasonPicker
              choices={choices}
              value={form.values.seasons}
              onChange={(value) => form.setFieldValue("seasons", value)}
              error={form.errors.seasons as string | undefined}
            />
          )}
          <Textarea
            label={t("request.comment")}
            description={t("request.commentHint")}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={COMMENT_MAX}
            {...form.getInputProps("comment")}
          />
          <QuotaLine />
          {create.isError && <ApiErrorAlert error={create.error} title={t("request.failed")} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t("common:actions.cancel")}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t("request.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
