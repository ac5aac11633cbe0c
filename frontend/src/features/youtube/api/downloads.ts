// Query hooks over the downloads API (src/medianest/downloads/router.py).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import { isApiError } from "@/lib/api/errors";
import type { components } from "@/lib/api/schema";

export type Download = components["schemas"]["DownloadRead"];
export type DownloadCreate = components["schemas"]["DownloadCreate"];
export type DownloadPage = components["schemas"]["DownloadReadPage"];
export type Metadata = components["schemas"]["MetadataRead"];
export type Quality = components["schemas"]["Quality"];
export type Container = components["schemas"]["Container"];

export const QUEUE_PAGE_SIZE = 20;

/** The download quota: `GET /youtube/quota`, then each download's `X-RateLimit-*`. */
export type Quota = components["schemas"]["QuotaRead"];

export const downloadKeys = {
  all: ["downloads"] as const,
  lists: () => [...downloadKeys.all, "list"] as const,
  list: (page: number) => [...downloadKeys.lists(), page] as const,
  metadata: (url: string) => [...downloadKeys.all, "metadata", url] as const,
  quota: () => [...downloadKeys.all, "quota"] as const,
};

export function useDownloads(page: number) {
  return useQuery({
    queryKey: downloadKeys.list(page),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/youtube/downloads", {
          params: { query: { page, limit: QUEUE_PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useMetadata(url: string | null) {
  return useQuery({
    queryKey: downloadKeys.metadata(url ?? ""),
    queryFn: () =>
      unwrap(api.GET("/api/v1/youtube/metadata", { params: { query: { url: url ?? "" } } })),
    enabled: url !== null,
    retry: (failures, error) => !(isApiError(error) && error.status < 500) && failures < 1,
    staleTime: 10 * 60_000,
  });
}

/** The quota headers of a response, or null when it carried none. */
export function quotaFrom(headers: Headers): Quota | null {
  const limit = Number(headers.get("X-RateLimit-Limit"));
  const remaining = headers.get("X-RateLimit-Remaining");
  const reset = Number(headers.get("X-RateLimit-Reset"));
  if (!limit || remaining === null) return null;
  return { limit, remaining: Number(remaining), resetAt: reset };
}

export function useQuota() {
  return useQuery({
    queryKey: downloadKeys.quota(),
    queryFn: () => unwrap(api.GET("/api/v1/youtube/quota")),
  });
}

export function useCreateDownload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DownloadCreate) => {
      const answer = await api.POST("/api/v1/youtube/download", { body });
      const quota = quotaFrom(answer.response.headers);
      if (quota) queryClient.setQueryData(downloadKeys.quota(), quota);
      return unwrap(Promise.resolve(answer));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: downloadKeys.lists() }),
  });
}

export function useCancelDownload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/youtube/downloads/{download_id}/cancel", {
          params: { path: { download_id: id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: downloadKeys.lists() }),
  });
}

/** Takes a finished download off the list; `deleteFiles` also removes what it made. */
export function useDeleteDownload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, deleteFiles }: { id: string; deleteFiles: boolean }) =>
      unwrap(
        api.DELETE("/api/v1/youtube/downloads/{download_id}", {
          params: { path: { download_id: id }, query: { deleteFiles } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: downloadKeys.lists() }),
  });
}

export function useRetryDownload() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/youtube/downloads/{download_id}/retry", {
          params: { path: { download_id: id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: downloadKeys.lists() }),
  });
}
