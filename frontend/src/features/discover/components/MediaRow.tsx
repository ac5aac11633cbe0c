import { Anchor, Box, Group, ScrollArea, Stack, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";

import { ApiErrorAlert, EmptyState, LoadingState } from "@/components";
import { flattenPages, useDiscoverRow, type DiscoverRow } from "@/features/discover/api/discover";
import { MediaCard } from "@/features/discover/components/MediaCard";

/** One discover row: a heading, "See all", and posters that scroll sideways. */
export function MediaRow({ row }: { row: DiscoverRow }) {
  const { t } = useTranslation("discover");
  const query = useDiscoverRow(row);
  const items = flattenPages(query.data);
  const headingId = `row-${row}`;
  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group justify="space-between" align="baseline" wrap="nowrap">
        <Title order={2} size="h3" id={headingId}>
          {t(`rows.${row}`)}
        </Title>
        <Anchor component={Link} to={`/discover/row/${row}`} size="sm" underline="hover" aria-label={t("seeAllOf", { row: t(`rows.${row}`) })}>
          {t("seeAll")}
        </Anchor>
      </Group>
      {query.isPending ? (
        <LoadingState minHeight={240} />
      ) : query.isError ? (
        <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t("emptyRow")} />
      ) : (
        <ScrollArea type="hover" scrollbarSize={8} offsetScrollbars="x">
          <Group gap="md" wrap="nowrap" align="stretch" pb="xs" component="ul" role="list" m={0} p={0} style={{ listStyle: "none" }}>
            {items.map((item) => (
              <Box component="li" key={`${item.mediaType}:${item.tmdbId}`} w={{ base: 132, sm: 160 }} style={{ flexShrink: 0 }}>
                <MediaCard item={item} />
              </Box>
            ))}
          </Group>
        </ScrollArea>
      )}
    </Stack>
  );
}
