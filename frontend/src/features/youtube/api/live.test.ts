import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";

import { downloadKeys, type Download, type DownloadPage } from "@/features/youtube/api/downloads";
import { applyProgress, applyProgressToCache } from "@/features/youtube/api/live";

function download(id: string, overrides: Partial<Download> = {}): Download {
  return {
    id,
    userId: "u1",
    url: `https://www.youtube.com/watch?v=${id}`,
    title: `Video ${id}`,
    playlistTitle: null,
    isPlaylist: false,
    quality: "best",
    format: "mp4",
    audioOnly: false,
    playlistItems: null,
    status: "queued",
    progress: 0,
    speedBytesPerSecond: null,
    etaSeconds: null,
    files: [],
    error: null,
    attempts: 0,
    createdAt: "2026-01-01T00:00:00Z",
    startedAt: null,
    finishedAt: null,
    ...overrides,
  };
}

function page(...items: Download[]): DownloadPage {
  return {
    items,
    pagination: {
      page: 1,
      limit: 20,
      totalItems: items.length,
      totalPages: 1,
      hasNext: false,
      hasPrev: false,
    },
  };
}

const progress = { id: "b", progress: 45, status: "running", speed: 1_000_000, eta: 30 };

describe("applyProgress", () => {
  it("moves the download on and leaves the others alone", () => {
    const before = page(download("a"), download("b"));
    const after = applyProgress(before, progress);
    expect(after?.items[1]).toMatchObject({
      status: "running",
      progress: 45,
      speedBytesPerSecond: 1_000_000,
      etaSeconds: 30,
    });
    expect(after?.items[0]).toBe(before.items[0]);
    expect(before.items[1]?.progress).toBe(0);
  });

  it("returns the same page when the download is not on it", () => {
    const before = page(download("a"));
    expect(applyProgress(before, progress)).toBe(before);
    expect(applyProgress(undefined, progress)).toBeUndefined();
  });

  it("keeps the known status when the event's is unknown", () => {
    const after = applyProgress(page(download("b")), { ...progress, status: "paused" });
    expect(after?.items[0]?.status).toBe("queued");
  });
});

describe("applyProgressToCache", () => {
  it("updates every cached queue page and says whether one held the download", () => {
    const client = new QueryClient();
    client.setQueryData(downloadKeys.list(1), page(download("a")));
    client.setQueryData(downloadKeys.list(2), page(download("b")));
    expect(applyProgressToCache(client, progress)).toBe(true);
    expect(client.getQueryData<DownloadPage>(downloadKeys.list(2))?.items[0]?.progress).toBe(45);
    expect(applyProgressToCache(client, { ...progress, id: "z" })).toBe(false);
  });
});
