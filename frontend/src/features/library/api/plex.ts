// Query hooks over the Plex browsing API (src/medianest/library/router.py).
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import { isApiError } from "@/lib/api/errors";
import type { components } from "@/lib/api/schema";

export type PlexItem = components["schemas"]["MediaItemRead"];
export type PlexLibrary = components["schemas"]["LibraryRead"];

export const PAGE_SIZE = 24;

export interface ItemsFilter {
  page: number;
  sort: string;
}

export const plexKeys = {
  all: ["plex"] as const,
  libraries: () => [...plexKeys.all, "libraries"] as const,
  items: (key: string, filter: ItemsFilter) => [...plexKeys.all, "items", key, filter] as const,
  collections: (key: string, page: number) => [...plexKeys.all, "collections", key, page] as const,
  collection: (key: string, page: number) => [...plexKeys.all, "collection", key, page] as const,
  recentlyAdded: () => [...plexKeys.all, "recently-added"] as const,
  search: (query: string) => [...plexKeys.all, "search", query] as const,
};

/** Plex answers that no retry will change (not set up, or a key it does not know). */
function retryUnlessFinal(failures: number, error: unknown): boolean {
  if (isApiError(error) && (error.code === "PLEX_NOT_CONFIGURED" || error.status === 404)) {
    return false;
  }
  return failures < 2;
}

export function useLibraries() {
  return useQuery({
    queryKey: plexKeys.libraries(),
    queryFn: () => unwrap(api.GET("/api/v1/plex/libraries")),
    retry: retryUnlessFinal,
    staleTime: 60_000,
  });
}

export function useLibraryItems(key: string, filter: ItemsFilter) {
  return useQuery({
    queryKey: plexKeys.items(key, filter),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/plex/libraries/{key}/items", {
          params: {
            path: { key },
            query: { page: filter.page, limit: PAGE_SIZE, sort: filter.sort },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    retry: retryUnlessFinal,
  });
}

export function useCollections(key: string, page: number) {
  return useQuery({
    queryKey: plexKeys.collections(key, page),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/plex/libraries/{key}/collections", {
          params: { path: { key }, query: { page, limit: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
    retry: retryUnlessFinal,
  });
}

export function useCollection(key: string, page: number) {
  return useQuery({
    queryKey: plexKeys.collection(key, page),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/plex/collections/{key}", {
          params: { path: { key }, query: { page, limit: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
    retry: retryUnlessFinal,
  });
}

export function useRecentlyAdded() {
  return useQuery({
    queryKey: plexKeys.recentlyAdded(),
    queryFn: () => unwrap(api.GET("/api/v1/plex/recently-added", { params: { query: { limit: 12 } } })),
    retry: retryUnlessFinal,
  });
}

export function usePlexSearch(query: string) {
  return useQuery({
    queryKey: plexKeys.search(query),
    queryFn: () =>
      unwrap(api.GET("/api/v1/plex/search", { params: { query: { query, limit: 48 } } })),
    enabled: query.trim().length > 0,
    placeholderData: keepPreviousData,
    retry: retryUnlessFinal,
  });
}
