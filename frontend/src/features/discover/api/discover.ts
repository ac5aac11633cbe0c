// Query hooks of the discover feature: rows, search, details and making a request.
import {
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

export type MediaSummary = components["schemas"]["MediaSummaryRead"];
export type MediaDetails = components["schemas"]["MediaDetailsRead"];
export type MediaSearch = components["schemas"]["MediaSearchRead"];
export type MediaType = components["schemas"]["MediaType"];
export type DiscoverRow = components["schemas"]["DiscoverRow"];
export type RequestCreate = components["schemas"]["MediaRequestCreate"];
export type Availability = components["schemas"]["MediaAvailability"];
export type SeasonAvailability = components["schemas"]["SeasonAvailability"];

/** The user's request quota: `GET /media/request/quota`, then each request's `X-RateLimit-*`. */
export type RequestQuota = components["schemas"]["QuotaRead"];

export const DISCOVER_ROWS: readonly DiscoverRow[] = [
  "trending",
  "movies",
  "tv",
  "movies-upcoming",
  "tv-upcoming",
];

export const discoverKeys = {
  all: ["discover"] as const,
  row: (row: DiscoverRow) => [...discoverKeys.all, "row", row] as const,
  search: (query: string, type: MediaType | null) =>
    [...discoverKeys.all, "search", { query, type }] as const,
  details: (type: MediaType, tmdbId: number) =>
    [...discoverKeys.all, "details", type, tmdbId] as const,
  quota: () => [...discoverKeys.all, "quota"] as const,
};

function nextPage(last: MediaSearch): number | undefined {
  return last.page < last.totalPages ? last.page + 1 : undefined;
}

/** One discover row, page by page (TMDB's pages of 20). */
export function useDiscoverRow(row: DiscoverRow) {
  return useInfiniteQuery({
    queryKey: discoverKeys.row(row),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/media/discover/{row}", {
          params: { path: { row }, query: { page: pageParam } },
        }),
      ),
    initialPageParam: 1,
    getNextPageParam: nextPage,
  });
}

export function useMediaSearch(query: string, type: MediaType | null) {
  return useInfiniteQuery({
    queryKey: discoverKeys.search(query, type),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/media/search", {
          params: { query: { query, page: pageParam, ...(type ? { type } : {}) } },
        }),
      ),
    initialPageParam: 1,
    getNextPageParam: nextPage,
    enabled: query.trim().length > 0,
  });
}

/** The items of every page loaded so far, without the duplicates TMDB's paging can give. */
export function flattenPages(data: InfiniteData<MediaSearch> | undefined): MediaSummary[] {
  const seen = new Set<string>();
  const items: MediaSummary[] = [];
  for (const page of data?.pages ?? []) {
    for (const item of page.items) {
      const key = `${item.mediaType}:${item.tmdbId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  return items;
}

export function useMediaDetails(type: MediaType, tmdbId: number) {
  return useQuery({
    queryKey: discoverKeys.details(type, tmdbId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/media/{media_type}/{tmdb_id}", {
          params: { path: { media_type: type, tmdb_id: tmdbId } },
        }),
      ),
    enabled: tmdbId > 0,
  });
}

/** What is left of the request quota, read when the dialog opens (reading spends nothing). */
export function useRequestQuota() {
  return useQuery({
    queryKey: discoverKeys.quota(),
    queryFn: () => unwrap(api.GET("/api/v1/media/request/quota")),
  });
}

export function quotaFromHeaders(headers: Headers): RequestQuota | null {
  const limit = Number(headers.get("X-RateLimit-Limit"));
  const remaining = Number(headers.get("X-RateLimit-Remaining"));
  const resetAt = Number(headers.get("X-RateLimit-Reset"));
  if (!headers.has("X-RateLimit-Remaining") || [limit, remaining, resetAt].some(Number.isNaN)) {
    return null;
  }
  return { limit, remaining, resetAt };
}

/** Request a film or seasons of a show; refreshes what shows its availability. */
export function useCreateRequest() {
  const queryClient = useQueryClient();
  const rememberQuota = (headers: Headers) => {
    const quota = quotaFromHeaders(headers);
    if (quota) queryClient.setQueryData(discoverKeys.quota(), quota);
  };
  return useMutation({
    mutationFn: async (body: RequestCreate) => {
      const answer = await api.POST("/api/v1/media/request", { body });
      rememberQuota(answer.response.headers);
      return unwrap(Promise.resolve(answer));
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: discoverKeys.all }),
  });
}
