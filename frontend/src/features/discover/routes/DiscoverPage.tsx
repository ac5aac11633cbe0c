import { Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { PageHeader } from "@/components";
import { DISCOVER_ROWS, discoverKeys } from "@/features/discover/api/discover";
import { MediaRow } from "@/features/discover/components/MediaRow";
import { SearchForm } from "@/features/discover/components/SearchForm";
import { useInvalidateOnEvent } from "@/lib/socket/react";

export function DiscoverPage() {
  const { t } = useTranslation("discover");
  useInvalidateOnEvent("request:updated", discoverKeys.all);
  return (
    <>
      <PageHeader title={t("title")} description={t("subtitle")} />
      <Stack gap="xl">
        <SearchForm />
        {DISCOVER_ROWS.map((row) => (
          <MediaRow key={row} row={row} />
        ))}
      </Stack>
    </>
  );
}
