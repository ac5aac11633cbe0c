import { Anchor, Button, Group, Progress, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { EmptyState } from "@/components/EmptyState";
import { QueryView } from "@/components/QueryView";
import { StatusBadge } from "@/components/StatusBadge";
import { useRecentDownloads, type RecentDownload } from "@/features/home/api/home";
import { SectionCard } from "@/features/home/components/SectionCard";
import { formatRelative } from "@/lib/format";

/** The API says `running`; the shared badge calls it downloading. */
function badgeStatus(status: RecentDownload["status"]): string {
  return status === "running" ? "downloading" : status;
}

/** The user's latest YouTube downloads, with live progress. */
export function RecentDownloadsCard() {
  const { t } = useTranslation("home");
  const query = useRecentDownloads();
  return (
    <SectionCard title={t("downloads.title")} link={{ to: "/youtube", label: t("seeAll") }}>
      <QueryView
        query={query}
        loadingHeight={120}
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState
            title={t("downloads.emptyTitle")}
            description={t("downloads.emptyBody")}
            action={
              <Button component={Link} to="/youtube" variant="light" size="xs">
                {t("downloads.start")}
              </Button>
            }
          />
        }
      >
        {(data) => (
          <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
            {data.items.map((download) => {
              const title = download.title ?? download.playlistTitle ?? download.url;
              const active = download.status === "running" || download.status === "queued";
              return (
                <Stack component="li" key={download.id} gap={4}>
                  <Group wrap="nowrap" gap="sm" justify="space-between">
                    <Stack gap={2} style={{ minWidth: 0 }}>
                      <Anchor component={Link} to="/youtube" fw={600} size="sm" lineClamp={1}>
                        {title}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {formatRelative(download.createdAt)}
                      </Text>
                    </Stack>
                    <StatusBadge status={badgeStatus(download.status)} />
                  </Group>
                  {active && (
                    <Progress
                      value={download.progress}
                      size="sm"
                      animated={download.status === "running"}
                      aria-label={t("downloads.progress", { title, percent: Math.round(download.progress) })}
                    />
                  )}
                </Stack>
              );
            })}
          </Stack>
        )}
      </QueryView>
    </SectionCard>
  );
}
