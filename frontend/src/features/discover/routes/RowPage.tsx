import { Anchor } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "wouter";

import { ApiErrorAlert, EmptyState, LoadingState, PageHeader } from "@/components";
import {
  DISCOVER_ROWS,
  discoverKeys,
  flattenPages,
  useDiscoverRow,
  type DiscoverRow,
} from "@/features/discover/api/discover";
import { MediaGrid } from "@/features/discover/components/MediaGrid";
import { useInvalidateOnEvent } from "@/lib/socket/react";

function RowGrid({ row }: { row: DiscoverRow }) {
  const { t } = useTranslation("discover");
  const query = useDiscoverRow(row);
  const items = flattenPages(query.data);
  if (query.isPending) return <LoadingState />;
  if (query.isError) {
    return <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (items.length === 0) return <EmptyState title={t("emptyRow")} />;
  return (
    <MediaGrid
      items={items}
      hasMore={query.hasNextPage}
      loadingMore={query.isFetchingNextPage}
      onLoadMore={() => void query.fetchNextPage()}
    />
  );
}

/** A whole discover row as a grid, page after page. */
export function RowPage() {
  const { t } = useTranslation("discover");
  const { row } = useParams();
  useInvalidateOnEvent("request:updated", discoverKeys.all);
  const known = DISCOVER_ROWS.find((candidate) => candidate === row);
  if (!known) {
    return (
      <>
        <PageHeader title={t("unknownRow")} />
        <Anchor component={Link} to="/discover">
          {t("backToDiscover")}
        </Anchor>
      </>
    );
  }
  return (
    <>
      <PageHeader
        title={t(`rows.${known}`)}
        actions={
          <Anchor component={Link} to="/discover" size="sm">
            {t("backToDiscover")}
          </Anchor>
        }
      />
      <RowGrid row={known} />
    </>
  );
}
