// The detail dialog's state lives in the URL (`?item=<ratingKey>`), so Back closes it.
import { useCallback } from "react";

import type { PlexItem } from "@/features/library/api/plex";
import { useSearchParams } from "@/lib/routing";

export function useItemParam(items: PlexItem[] | undefined) {
  const [search, setSearch] = useSearchParams();
  const key = search.get("item");
  const selected = key ? (items?.find((item) => item.ratingKey === key) ?? null) : null;
  const close = useCallback(() => {
    setSearch((previous) => {
      const next = new URLSearchParams(previous);
      next.delete("item");
      return next;
    });
  }, [setSearch]);
  return { search, setSearch, selected, close };
}
