import { useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { useInvalidateOnEvent, useRealtimeEvent } from "@/lib/socket/react";

export type ServiceStatus = components["schemas"]["ServiceStatusRead"];
export type RecentRequest = components["schemas"]["MediaRequestRead"];
export type RecentDownload = components["schemas"]["DownloadRead"];
export type PlexItem = components["schemas"]["MediaItemRead"];

/** `service:status` on `/system` (docs/reference/realtime.md). */
export interface ServiceStatusEvent {
  service: string;
  status: ServiceStatus["status"];
  checkedAt: string;
}

/** `download:progress` on `/authenticated`. */
export interface DownloadProgressEvent {
  id: string;
  progress: number;
  status: string;
}

export const RECENT_LIMIT = 5;

export const homeKeys = {
  all: ["home"] as const,
  services: () => [...homeKeys.all, "services"] as const,
  stats: () => [...homeKeys.all, "stats"] as const,
  requests: () => [...homeKeys.all, "requests"] as const,
  downloads: () => [...homeKeys.all, "downloads"] as const,
};

/** Applies a `service:status` event to the list the services endpoint gave. */
export function withServiceEvent(
  services: ServiceStatus[] | undefined,
  event: ServiceStatusEvent,
): ServiceStatus[] | undefined {
  if (!services) return services;
  const known = services.some((service) => service.name === event.service);
  if (!known) return services;
  return services.map((service) =>
    service.name === event.service
      ? { ...service, status: event.status, lastCheckedAt: event.checkedAt }
      : service,
  );
}

/** Applies a `download:progress` event to a page of downloads. */
export function withDownloadProgress<P extends { items: RecentDownload[] }>(
  page: P | undefined,
  event: DownloadProgressEvent,
): P | undefined {
  if (!page?.items.some((download) => download.id === event.id)) return page;
  return {
    ...page,
    items: page.items.map((download) =>
      download.id === event.id
        ? {
            ...download,
            progress: event.progress,
            status: event.status as RecentDownload["status"],
          }
        : download,
    ),
  };
}

export function useServiceStatuses() {
  const queryClient = useQueryClient();
  useRealtimeEvent<ServiceStatusEvent>(
    "service:status",
    (event) => {
      const before = queryClient.getQueryData<ServiceStatus[]>(homeKeys.services());
      const after = withServiceEvent(before, event);
      if (after === before) void queryClient.invalidateQueries({ queryKey: homeKeys.services() });
      else queryClient.setQueryData(homeKeys.services(), after);
    },
    "/system",
  );
  return useQuery({
    queryKey: homeKeys.services(),
    queryFn: () => unwrap(api.GET("/api/v1/services/status")),
  });
}

export function useDashboardStats() {
  return useQuery({
    queryKey: homeKeys.stats(),
    queryFn: () => unwrap(api.GET("/api/v1/dashboard/stats")),
  });
}

export function useRecentRequests() {
  useInvalidateOnEvent("request:updated", homeKeys.requests());
  return useQuery({
    queryKey: homeKeys.requests(),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/media/requests", {
          params: { query: { page: 1, limit: RECENT_LIMIT, sort: "-createdAt" } },
        }),
      ),
  });
}

export function useRecentDownloads() {
  const queryClient = useQueryClient();
  useRealtimeEvent<DownloadProgressEvent>("download:progress", (event) =>
    queryClient.setQueryData(
      homeKeys.downloads(),
      (old: { items: RecentDownload[] } | undefined) => withDownloadProgress(old, event),
    ),
  );
  useInvalidateOnEvent("download:completed", homeKeys.downloads());
  useInvalidateOnEvent("download:failed", homeKeys.downloads());
  return useQuery({
    queryKey: homeKeys.downloads(),
    queryFn: () =>
      unwrap(api.GET("/api/v1/youtube/downloads", { params: { query: { page: 1, limit: RECENT_LIMIT } } })),
  });
}
