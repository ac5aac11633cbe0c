import { useTranslation } from "react-i18next";

import { EmptyState } from "@/components/EmptyState";
import { LoadingState } from "@/components/LoadingState";
import { PageHeader } from "@/components/PageHeader";
import { usePlexSearch } from "@/features/library/api/plex";
import { ItemDetailModal } from "@/features/library/components/ItemDetailModal";
import { PlexPosterGrid } from "@/features/library/components/PlexPosterGrid";
import { PlexSearchForm } from "@/features/library/components/PlexSearchForm";
import { PlexUnavailable } from "@/features/library/components/PlexUnavailable";
import { useItemParam } from "@/features/library/components/useItemParam";
import { useSearchParams } from "@/lib/routing";

export function SearchPage() {
  const { t } = useTranslation("library");
  const [params] = useSearchParams();
  const query = (params.get("q") ?? "").trim();
  const results = usePlexSearch(query);
  const { search, selected, close } = useItemParam(results.data?.items);
  return (
    <>
      <PageHeader
        title={t("search.title")}
        description={query ? t("search.resultsFor", { query }) : undefined}
        actions={<PlexSearchForm key={query} initial={query} />}
      />
      {!query ? (
        <EmptyState title={t("search.prompt")} />
      ) : results.isPending ? (
        <LoadingState />
      ) : results.isError ? (
        <PlexUnavailable error={results.error} onRetry={() => void results.refetch()} />
      ) : results.data.items.length === 0 ? (
        <EmptyState title={t("search.empty", { query })} />
      ) : (
        <PlexPosterGrid
          items={results.data.items}
          search={search}
          label={t("search.resultsFor", { query })}
        />
      )}
      <ItemDetailModal item={selected} onClose={close} />
    </>
  );
}
