import { SegmentedControl, Stack, Text } from "@mantine/core";
import { IconMoodEmpty } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";

import { ApiErrorAlert, EmptyState, LoadingState, PageHeader } from "@/components";
import {
  discoverKeys,
  flattenPages,
  useMediaSearch,
  type MediaType,
} from "@/features/discover/api/discover";
import { MediaGrid } from "@/features/discover/components/MediaGrid";
import { SearchForm } from "@/features/discover/components/SearchForm";
import { useSearchParams } from "@/lib/routing";
import { useInvalidateOnEvent } from "@/lib/socket/react";

function typeOf(value: string | null): MediaType | null {
  return value === "movie" || value === "tv" ? value : null;
}

export function SearchPage() {
  const { t } = useTranslation("discover");
  const [params, setParams] = useSearchParams();
  const query = params.get("q")?.trim() ?? "";
  const type = typeOf(params.get("type"));
  const search = useMediaSearch(query, type);
  useInvalidateOnEvent("request:updated", discoverKeys.all);
  const items = flattenPages(search.data);
  const total = search.data?.pages[0]?.totalResults ?? 0;

  const setType = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === "all") next.delete("type");
    else next.set("type", value);
    setParams(next);
  };

  return (
    <>
      <PageHeader
        title={query ? t("search.titleFor", { query }) : t("search.title")}
      />
      <Stack gap="lg">
        <SearchForm key={query} initial={query} />
        <SegmentedControl
          aria-label={t("search.typeLabel")}
          value={type ?? "all"}
          onChange={setType}
          data={[
            { value: "all", label: t("search.all") },
            { value: "movie", label: t("search.movies") },
            { value: "tv", label: t("search.series") },
          ]}
          w={{ base: "100%", xs: "auto" }}
          style={{ alignSelf: "flex-start" }}
        />
        {!query ? (
          <EmptyState title={t("search.prompt")} />
        ) : search.isPending ? (
          <LoadingState />
        ) : search.isError ? (
          <ApiErrorAlert error={search.error} onRetry={() => void search.refetch()} />
        ) : items.length === 0 ? (
          <EmptyState
            icon={<IconMoodEmpty size={30} stroke={1.5} />}
            title={t("search.noResults", { query })}
            description={t("search.noResultsHint")}
          />
        ) : (
          <>
            <Text c="dimmed" size="sm" role="status">
              {t("search.count", { count: total })}
            </Text>
            <MediaGrid
              items={items}
              hasMore={search.hasNextPage}
              loadingMore={search.isFetchingNextPage}
              onLoadMore={() => void search.fetchNextPage()}
            />
          </>
        )}
      </Stack>
    </>
  );
}
