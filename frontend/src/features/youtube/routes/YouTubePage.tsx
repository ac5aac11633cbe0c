import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { PageHeader } from "@/components/PageHeader";
import { DownloadForm } from "@/features/youtube/components/DownloadForm";
import { DownloadQueue } from "@/features/youtube/components/DownloadQueue";

export function YouTubePage() {
  const { t } = useTranslation("youtube");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Stack gap="xl" maw={960}>
        <DownloadForm />
        <DownloadQueue />
      </Stack>
    </>
  );
}
