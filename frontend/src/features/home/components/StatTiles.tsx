import { Group, Paper, SimpleGrid, Skeleton, Text, ThemeIcon } from "@mantine/core";
import { IconCheck, IconClockHour4, IconDownload, IconListCheck } from "@tabler/icons-react";
import type { ComponentType } from "react";
import { useTranslation } from "react-i18next";

import { useDashboardStats } from "@/features/home/api/home";

interface Tile {
  key: string;
  value: number;
  color: string;
  icon: ComponentType<{ size?: number }>;
}

/** Four counts at a glance: requests, pending, available, active downloads. */
export function StatTiles() {
  const { t } = useTranslation("home");
  const query = useDashboardStats();
  if (query.isError) return null; // the recently-added section shows the error
  const stats = query.data;
  const tiles: Tile[] = [
    { key: "requests", value: stats?.requests.total ?? 0, color: "violet", icon: IconListCheck },
    { key: "pending", value: stats?.requests.pending ?? 0, color: "yellow", icon: IconClockHour4 },
    { key: "available", value: stats?.requests.available ?? 0, color: "green", icon: IconCheck },
    { key: "downloads", value: stats?.downloads.active ?? 0, color: "blue", icon: IconDownload },
  ];
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing={{ base: "xs", sm: "md" }} mb="md">
      {tiles.map((tile) => (
        <Paper key={tile.key} withBorder radius="lg" p="sm">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon variant="light" color={tile.color} size="lg" radius="md" aria-hidden>
              <tile.icon size={20} />
            </ThemeIcon>
            <div>
              <Skeleton visible={query.isPending} height={28} width={40}>
                <Text fw={700} size="xl" lh={1.2}>
                  {tile.value}
                </Text>
              </Skeleton>
              <Text size="xs" c="dimmed">
                {t(`stats.${tile.key}`)}
              </Text>
            </div>
          </Group>
        </Paper>
      ))}
    </SimpleGrid>
  );
}
