import { Grid, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";

import { PageHeader } from "@/components/PageHeader";
import { useServiceStatuses } from "@/features/home/api/home";
import { dayPart } from "@/features/home/components/greeting";
import { RecentDownloadsCard } from "@/features/home/components/RecentDownloadsCard";
import { RecentlyAddedRow } from "@/features/home/components/RecentlyAddedRow";
import { RecentRequestsCard } from "@/features/home/components/RecentRequestsCard";
import { ServiceStatusCard } from "@/features/home/components/ServiceStatusCard";
import { StatTiles } from "@/features/home/components/StatTiles";
import { useCurrentUser } from "@/lib/session";

/** What a signed-in friend sees first: counts, what is new, their requests and downloads. */
export function HomePage() {
  const { t } = useTranslation("home");
  const user = useCurrentUser();
  const services = useServiceStatuses();
  const plex = services.data?.find((service) => service.name === "plex");
  // Checked and set up (up, degraded or down): the row shows, with a note when Plex is down.
  const plexChecked = plex?.status != null && plex.status !== "not_configured";
  return (
    <>
      <PageHeader
        title={t("title", { name: user?.name ?? user?.username ?? "" })}
        description={t(`greeting.${dayPart(new Date())}`)}
      />
      <StatTiles />
      <Stack gap="md">
        <RecentlyAddedRow plexChecked={plexChecked} />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, md: 8 }}>
            <Stack gap="md">
              <RecentRequestsCard />
              <RecentDownloadsCard />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 4 }}>
            <ServiceStatusCard />
          </Grid.Col>
        </Grid>
      </Stack>
    </>
  );
}
