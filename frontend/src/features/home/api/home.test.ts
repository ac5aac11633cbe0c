import { describe, expect, it } from "vitest";

import {
  withDownloadProgress,
  withServiceEvent,
  type RecentDownload,
  type ServiceStatus,
} from "@/features/home/api/home";
import { dayPart } from "@/features/home/components/greeting";

const services: ServiceStatus[] = [
  { name: "plex", status: "up", lastCheckedAt: "2026-01-01T00:00:00Z" },
  { name: "redis", status: null, lastCheckedAt: null },
];

describe("live service status", () => {
  it("replaces the state of the service the event names", () => {
    const after = withServiceEvent(services, {
      service: "plex",
      status: "down",
      checkedAt: "2026-01-01T00:05:00Z",
    });
    expect(after?.[0]).toEqual({ name: "plex", status: "down", lastCheckedAt: "2026-01-01T00:05:00Z" });
    expect(after?.[1]).toBe(services[1]);
  });

  it("leaves the list alone for a service it does not know (the caller refetches)", () => {
    const event = { service: "nothing", status: "up" as const, checkedAt: "2026-01-01T00:00:00Z" };
    expect(withServiceEvent(services, event)).toBe(services);
    expect(withServiceEvent(undefined, event)).toBeUndefined();
  });
});

describe("live download progress", () => {
  const download = { id: "d1", progress: 10, status: "running" } as RecentDownload;
  const page = { items: [download] };

  it("moves the bar of the download the event names", () => {
    const after = withDownloadProgress(page, { id: "d1", progress: 55, status: "running" });
    expect(after?.items[0]?.progress).toBe(55);
    expect(page.items[0]?.progress).toBe(10);
  });

  it("ignores other users' or older downloads", () => {
    expect(withDownloadProgress(page, { id: "zz", progress: 1, status: "running" })).toBe(page);
  });
});

describe("greeting", () => {
  it("fits the hour", () => {
    expect(dayPart(new Date(2026, 0, 1, 8))).toBe("morning");
    expect(dayPart(new Date(2026, 0, 1, 13))).toBe("afternoon");
    expect(dayPart(new Date(2026, 0, 1, 20))).toBe("evening");
    expect(dayPart(new Date(2026, 0, 1, 2))).toBe("night");
  });
});
