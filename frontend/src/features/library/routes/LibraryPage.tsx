import { Group, Select, Tabs } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useParams } from "wouter";

import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import {
  useCollections,
  useLibraries,
  useLibraryItems,
  type PlexItem,
} from "@/features/library/api/plex";
import { ItemDetailModal } from "@/features/library/components/ItemDetailModal";
import { PlexPagination } from "@/features/library/components/PlexPagination";
import { PlexPosterGrid } from "@/features/library/components/PlexPosterGrid";
import { PlexUnavailable } from "@/features/library/components/PlexUnavailable";
import { useItemParam } from "@/features/library/components/useItemParam";

/** The API's sort values and their label keys (a `:` would split an i18next key). */
const SORTS = {
  title: "title",
  "addedAt:desc": "addedDesc",
  "year:desc": "yearDesc",
  "year:asc": "yearAsc",
  "rating:desc": "ratingDesc",
  "duration:desc": "durationDesc",
} as const;

function pageOf(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export function LibraryPage() {
  const { t } = useTranslation("library");
  const { key = "" } = useParams();
  const libraries = useLibraries();
  const library = libraries.data?.libraries.find((entry) => entry.key === key);
  const { search, setSearch } = useItemParam(undefined);
  const view = search.get("view") === "collections" ? "collections" : "items";
  const change = (values: Record<string, string | null>) =>
    setSearch((previous) => {
      const next = new URLSearchParams(previous);
      for (const [name, value] of Object.entries(values)) {
        if (value === null) next.delete(name);
        else next.set(name, value);
      }
      return next;
    });
  const title = library?.title ?? t("title");
  return (
    <>
      <PageHeader
        title={title}
        description={
          library
            ? `${t(`library.type.${library.type}`, { defaultValue: library.type })} · ${t("library.count", { count: library.count })}`
            : undefined
        }
      />
      <Tabs
        value={view}
        onChange={(value) => change({ view: value === "items" ? null : value, page: null })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="items">{t("library.items")}</Tabs.Tab>
          <Tabs.Tab value="collections">{t("library.collections")}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="items">
          <LibraryItems libraryKey={key} search={search} change={change} />
        </Tabs.Panel>
        <Tabs.Panel value="collections">
          <LibraryCollections libraryKey={key} search={search} change={change} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

interface PanelProps {
  libraryKey: string;
  search: URLSearchParams;
  change: (values: Record<string, string | null>) => void;
}

function LibraryItems({ libraryKey, search, change }: PanelProps) {
  const { t } = useTranslation("library");
  const sort = search.get("sort") ?? "title";
  const page = pageOf(search.get("page"));
  const items = useLibraryItems(libraryKey, { page, sort });
  return (
    <>
      <Group justify="flex-end" mb="md">
        <Select
          label={t("sort.label")}
          data={Object.entries(SORTS).map(([value, key]) => ({ value, label: t(`sort.${key}`) }))}
          value={sort}
          onChange={(value) => change({ sort: value === "title" ? null : value, page: null })}
          allowDeselect={false}
          w={{ base: "100%", xs: 220 }}
        />
      </Group>
      <Results
        query={items}
        emptyText={t("library.emptyItems")}
        search={search}
        onPage={(next) => change({ page: String(next) })}
      />
    </>
  );
}

function LibraryCollections({ libraryKey, search, change }: PanelProps) {
  const { t } = useTranslation("library");
  const page = pageOf(search.get("page"));
  const collections = useCollections(libraryKey, page);
  return (
    <Results
      query={collections}
      emptyText={t("library.emptyCollections")}
      search={search}
      onPage={(next) => change({ page: String(next) })}
    />
  );
}

type PageQuery = ReturnType<typeof useLibraryItems>;

function Results({
  query,
  emptyText,
  search,
  onPage,
}: {
  query: PageQuery;
  emptyText: string;
  search: URLSearchParams;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation("library");
  const items: PlexItem[] | undefined = query.data?.items;
  const { selected, close } = useItemParam(items);
  if (query.isPending) return <LoadingState label={t("library.loading")} />;
  if (query.isError) {
    return <PlexUnavailable error={query.error} onRetry={() => void query.refetch()} />;
  }
  if (query.data.items.length === 0) return <EmptyState title={emptyText} />;
  return (
    <>
      <PlexPosterGrid items={query.data.items} search={search} label={t("library.items")} />
      <PlexPagination
        pagination={query.data.pagination}
        onChange={(page) => {
          onPage(page);
          window.scrollTo({ top: 0 });
        }}
      />
      <ItemDetailModal item={selected} onClose={close} />
    </>
  );
}
