// Socket events of downloads, applied to the cached queue pages (docs/reference/realtime.md).
import type { QueryClient } from "@tanstack/react-query";

import { downloadKeys, type Download, type DownloadPage } from "@/features/youtube/api/downloads";

export interface DownloadProgressEvent {
  id: string;
  progress: number;
  status: string;
  speed: number | null;
  eta: number | null;
}

const STATUSES: readonly Download["status"][] = [
  "queued",
  "running",
  "completed",
  "failed",
  "cancelled",
];

function isStatus(value: string): value is Download["status"] {
  return (STATUSES as readonly string[]).includes(value);
}

/** The page with the event's download moved on; the same page when it is not on it. */
export function applyProgress(
  page: DownloadPage | undefined,
  event: DownloadProgressEvent,
): DownloadPage | undefined {
  if (!page?.items.some((download) => download.id === event.id)) return page;
  return {
    ...page,
    items: page.items.map((download) =>
      download.id === event.id
        ? {
            ...download,
            progress: event.progress,
            status: isStatus(event.status) ? event.status : download.status,
            speedBytesPerSecond: event.speed,
            etaSeconds: event.eta,
          }
        : download,
    ),
  };
}

/** Updates every cached queue page; false when no cached page holds the download (a
 * download started elsewhere: the caller refetches). */
export function applyProgressToCache(client: QueryClient, event: DownloadProgressEvent): boolean {
  let found = false;
  client.setQueriesData<DownloadPage>({ queryKey: downloadKeys.lists() }, (page) => {
    const next = applyProgress(page, event);
    if (next !== page) found = true;
    return next;
  });
  return found;
}
