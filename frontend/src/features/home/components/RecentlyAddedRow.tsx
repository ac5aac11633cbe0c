import { Alert, Box, Group, ScrollArea } from "@mantine/core";
import { IconPlugConnectedX } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";
import { PosterCard } from "@/components/PosterCard";
import { useDashboardStats, type PlexItem } from "@/features/home/api/home";
import { SectionCard } from "@/features/home/components/SectionCard";

function subtitle(item: PlexItem): string | undefined {
  return item.year ? String(item.year) : undefined;
}

/** The newest items on Plex as a poster row. Hidden while there is nothing to show and Plex
 * is not set up (or not checked yet): a server without Plex shows no empty Plex section. */
export function RecentlyAddedRow({ plexChecked }: { plexChecked: boolean }) {
  const { t } = useTranslation("home");
  const query = useDashboardStats();
  const items = query.data?.recentlyAdded.length ?? 0;
  if (!plexChecked && items === 0 && !query.isError) return null;
  let body;
  if (query.isPending) body = <LoadingState minHeight={180} />;
  else if (query.isError)
    body = <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  else if (query.data.recentlyAdded.length === 0)
    body = (
      <Alert
        variant="light"
        color="gray"
        icon={<IconPlugConnectedX aria-hidden />}
        title={query.data.plexAvailable ? t("recentlyAdded.emptyTitle") : t("recentlyAdded.unreachableTitle")}
      >
        {query.data.plexAvailable ? t("recentlyAdded.emptyBody") : t("recentlyAdded.unreachableBody")}
      </Alert>
    );
  else
    body = (
      <ScrollArea
        type="auto"
        offsetScrollbars
        scrollbarSize={8}
        viewportProps={{ tabIndex: 0, "aria-label": t("recentlyAdded.scrollLabel") }}
      >
        <Group component="ul" wrap="nowrap" gap="sm" p={0} m={0} align="stretch" style={{ listStyle: "none" }}>
          {query.data.recentlyAdded.map((item) => (
            <Box component="li" key={item.ratingKey} w={{ base: 116, sm: 140 }} style={{ flexShrink: 0 }}>
              <PosterCard title={item.title} subtitle={subtitle(item)} imageUrl={item.thumbUrl} />
            </Box>
          ))}
        </Group>
      </ScrollArea>
    );
  return <SectionCard title={t("recentlyAdded.title")}>{body}</SectionCard>;
}
