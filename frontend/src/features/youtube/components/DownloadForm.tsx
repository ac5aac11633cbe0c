import {
  Alert,
  Button,
  Card,
  Group,
  Select,
  Stack,
  Switch,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQueryClient } from "@tanstack/react-query";
import { IconDownload, IconLink } from "@tabler/icons-react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import {
  downloadKeys,
  useCreateDownload,
  useMetadata,
  type Container,
  type DownloadCreate,
  type Metadata,
  type Quality,
} from "@/features/youtube/api/downloads";
import { MetadataPreview } from "@/features/youtube/components/MetadataPreview";
import { AUDIO_FORMATS, QUALITIES, VIDEO_FORMATS } from "@/features/youtube/components/presets";
import { probeableUrl } from "@/features/youtube/components/progressText";
import { QuotaNote } from "@/features/youtube/components/QuotaNote";
import { isApiError, type ApiError } from "@/lib/api/errors";

interface Values {
  url: string;
  quality: Quality;
  format: Container;
  audioOnly: boolean;
  playlistItems: string;
}

/** A refused download in words: the wait for a spent quota, else the server's message. */
function refusal(error: ApiError, t: TFunction<"youtube">): string {
  if (error.code !== "RATE_LIMIT_EXCEEDED") return error.message;
  const details = error.details as { retryAfter?: number } | null;
  const seconds = details?.retryAfter;
  if (!seconds) return t("form.rateLimitedSoon");
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return t("form.rateLimited", {
    wait: new Intl.NumberFormat(undefined, { style: "unit", unit: "minute", unitDisplay: "long" }).format(minutes),
  });
}

export function DownloadForm() {
  const { t } = useTranslation("youtube");
  const create = useCreateDownload();
  const form = useForm<Values>({
    initialValues: { url: "", quality: "best", format: "mp4", audioOnly: false, playlistItems: "" },
  });
  const [debouncedUrl] = useDebouncedValue(form.values.url, 400);
  const probeUrl = probeableUrl(debouncedUrl);
  const isPlaylist = useMetadata(probeUrl).data?.isPlaylist === true;
  const formats = form.values.audioOnly ? AUDIO_FORMATS : VIDEO_FORMATS;
  const metadataTitle = useQueryClient().getQueryData<Metadata>(
    downloadKeys.metadata(probeUrl ?? ""),
  )?.title;
  const submit = form.onSubmit((values) => {
    const body: DownloadCreate = {
      url: values.url.trim(),
      format: values.format,
      audioOnly: values.audioOnly,
      quality: values.audioOnly ? "audio" : values.quality,
      playlistItems: values.playlistItems.trim() || null,
    };
    create.mutate(body, {
      onSuccess: (download) => {
        notifications.show({
          color: "green",
          message: t("form.queued", { title: download.title ?? metadataTitle ?? download.url }),
          closeButtonProps: { "aria-label": t("common:actions.close") },
        });
        form.reset();
      },
    });
  });
  // Refusals show as an alert, not as the input's error text: the theme's dark error
  // colour is below the contrast axe asks of small text.
  const refused = isApiError(create.error) && create.error.status < 500 ? create.error : null;
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="youtube-new">
      <Title order={2} size="h4" id="youtube-new" mb="sm">
        {t("form.title")}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <TextInput
            label={t("form.url")}
            placeholder={t("form.urlPlaceholder")}
            description={t("form.urlHint")}
            type="url"
            inputMode="url"
            autoComplete="off"
            required
            leftSection={<IconLink size={16} aria-hidden />}
            maxLength={2000}
            {...form.getInputProps("url")}
            onChange={(event) => {
              form.setFieldValue("url", event.currentTarget.value);
              create.reset();
            }}
          />
          {probeUrl && <MetadataPreview url={probeUrl} />}
          <Group grow preventGrowOverflow={false} align="flex-end" wrap="wrap">
            <Select
              label={t("form.quality")}
              data={QUALITIES.map((value) => ({
                value,
                label: t(`quality.${value}`, { defaultValue: value }),
              }))}
              allowDeselect={false}
              disabled={form.values.audioOnly}
              miw={160}
              {...form.getInputProps("quality")}
            />
            <Select
              label={t("form.format")}
              data={formats.map((value) => ({ value, label: t(`format.${value}`) }))}
              allowDeselect={false}
              miw={160}
              {...form.getInputProps("format")}
            />
            {isPlaylist && (
            <TextInput
              label={t("form.playlistItems")}
              placeholder="1-3,7"
              description={t("form.playlistItemsHint")}
              miw={160}
              {...form.getInputProps("playlistItems")}
            />
            )}
          </Group>
          <Switch
            label={t("form.audioOnly")}
            checked={form.values.audioOnly}
            onChange={(event) => {
              const audioOnly = event.currentTarget.checked;
              form.setValues({ audioOnly, format: audioOnly ? "mp3" : "mp4" });
            }}
          />
          {refused ? (
            <Alert color="orange" variant="light" role="alert" title={t("form.refused")}>
              {refusal(refused, t)}
            </Alert>
          ) : (
            create.isError && <ApiErrorAlert error={create.error} />
          )}
          <Group justify="space-between" wrap="wrap-reverse" gap="sm">
            <QuotaNote />
            <Button
              type="submit"
              leftSection={<IconDownload size={16} aria-hidden />}
              loading={create.isPending}
              disabled={!probeableUrl(form.values.url)}
            >
              {t("form.submit")}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
