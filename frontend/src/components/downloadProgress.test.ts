import type { TFunction } from "i18next";
import { describe, expect, it } from "vitest";

import { progressParts, type DownloadProgressFields } from "@/components/downloadProgress";

const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key} ${JSON.stringify(values)}` : key) as unknown as TFunction;

const base: DownloadProgressFields = {
  status: "running",
  progress: 41.6,
  speedBytesPerSecond: 1_258_291.2,
  etaSeconds: 330,
  files: [],
};

describe("progressParts", () => {
  it("shows speed and time left while running", () => {
    expect(progressParts(base, t)).toEqual([
      'download.percent {"percent":42}',
      "1.2 MB/s",
      'download.eta {"eta":"5m 30s"}',
    ]);
  });

  it("drops the last estimate once finished", () => {
    const done = { ...base, status: "completed" as const, progress: 100, etaSeconds: 0 };
    expect(progressParts(done, t)).toEqual(["download.noFiles"]);
    const withFiles = { ...done, files: [{ sizeBytes: 2048 }, { sizeBytes: 2048 }] };
    expect(progressParts(withFiles as DownloadProgressFields, t)).toEqual([
      'download.files {"count":2,"size":"4 kB"}',
    ]);
  });

  it("says a queued download waits, a failed one how far it got", () => {
    expect(progressParts({ ...base, status: "queued" }, t)).toEqual(["download.waiting"]);
    expect(progressParts({ ...base, status: "failed", etaSeconds: 12 }, t)).toEqual([
      'download.percent {"percent":42}',
    ]);
  });
});
