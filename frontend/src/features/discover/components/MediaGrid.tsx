import { Box, Button, Center, SimpleGrid } from "@mantine/core";
import { useTranslation } from "react-i18next";

import type { MediaSummary } from "@/features/discover/api/discover";
import { MediaCard } from "@/features/discover/components/MediaCard";

/** A poster grid with a "Load more" button while pages remain. */
export function MediaGrid({
  items,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  items: MediaSummary[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const { t } = useTranslation("discover");
  return (
    <>
      <SimpleGrid
        cols={{ base: 2, xs: 3, sm: 3, md: 4, lg: 5, xl: 6 }}
        spacing={{ base: "sm", sm: "md" }}
        component="ul"
        role="list"
        m={0}
        p={0}
        style={{ listStyle: "none" }}
      >
        {items.map((item) => (
          <Box component="li" key={`${item.mediaType}:${item.tmdbId}`}>
            <MediaCard item={item} />
          </Box>
        ))}
      </SimpleGrid>
      {hasMore && (
        <Center mt="lg">
          <Button variant="light" onClick={onLoadMore} loading={loadingMore}>
            {t("loadMore")}
          </Button>
        </Center>
      )}
    </>
  );
}
