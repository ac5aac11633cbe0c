import { Anchor, Group } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "wouter";

import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { useCollection, useLibraries } from "@/features/library/api/plex";
import { ItemDetailModal } from "@/features/library/components/ItemDetailModal";
import { PlexPagination } from "@/features/library/components/PlexPagination";
import { PlexPosterGrid } from "@/features/library/components/PlexPosterGrid";
import { PlexUnavailable } from "@/features/library/components/PlexUnavailable";
import { useItemParam } from "@/features/library/components/useItemParam";
import { useSearchParams } from "@/lib/routing";

export function CollectionPage() {
  const { t } = useTranslation("library");
  const { key = "" } = useParams();
  const [params] = useSearchParams();
  const page = Math.max(1, Math.floor(Number(params.get("page"))) || 1);
  const collection = useCollection(key, page);
  const { search, setSearch, selected, close } = useItemParam(collection.data?.items.items);
  const libraries = useLibraries();
  const libraryKey = collection.data?.collection.libraryKey;
  const library = libraries.data?.libraries.find((entry) => entry.key === libraryKey);
  const back = library ? (
    <Anchor component={Link} to={`/plex/libraries/${library.key}?view=collections`} size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t("collection.back", { library: library.title })}
      </Group>
    </Anchor>
  ) : (
    <Anchor component={Link} to="/plex" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t("collection.backToPlex")}
      </Group>
    </Anchor>
  );
  if (collection.isPending) {
    return (
      <>
        <PageHeader title={t("library.collections")} />
        <LoadingState />
      </>
    );
  }
  if (collection.isError) {
    return (
      <>
        <PageHeader title={t("library.collections")} description={back} />
        <PlexUnavailable error={collection.error} onRetry={() => void collection.refetch()} />
      </>
    );
  }
  const { collection: info, items: pageOfItems } = collection.data;
  return (
    <>
      <PageHeader
        title={info.title}
        description={
          <>
            {back}
            {info.summary ? ` · ${info.summary}` : null}
          </>
        }
      />
      {pageOfItems.items.length === 0 ? (
        <EmptyState title={t("collection.empty")} />
      ) : (
        <>
          <PlexPosterGrid items={pageOfItems.items} search={search} label={info.title} />
          <PlexPagination
            pagination={pageOfItems.pagination}
            onChange={(next) =>
              setSearch((previous) => {
                const params = new URLSearchParams(previous);
                params.set("page", String(next));
                return params;
              })
            }
          />
        </>
      )}
      <ItemDetailModal item={selected} onClose={close} />
    </>
  );
}
