// Live queue: progress events patch the cached pages; endings refetch (files, errors).
import { useQueryClient } from "@tanstack/react-query";

import { downloadKeys } from "@/features/youtube/api/downloads";
import { applyProgressToCache, type DownloadProgressEvent } from "@/features/youtube/api/live";
import { useRealtimeEvent } from "@/lib/socket/react";

export function useDownloadEvents(): void {
  const queryClient = useQueryClient();
  const refetch = () => void queryClient.invalidateQueries({ queryKey: downloadKeys.lists() });
  useRealtimeEvent<DownloadProgressEvent>("download:progress", (event) => {
    const found = applyProgressToCache(queryClient, event);
    if (!found || event.status !== "running") refetch();
  });
  useRealtimeEvent("download:completed", refetch);
  useRealtimeEvent("download:failed", refetch);
}
