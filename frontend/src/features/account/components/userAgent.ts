// A readable name for a session's device from its User-Agent ("Firefox on Windows"); the
// raw string stays available as a tooltip. Order matters: Edge and Opera also say Chrome,
// Chrome also says Safari, Android also says Linux, iOS also says Mac OS X.
const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/curl\//, "curl"],
  [/python-httpx|python-requests/, "Python"],
];

const SYSTEMS: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad|iPod/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/CrOS/, "ChromeOS"],
  [/Linux/, "Linux"],
];

export interface Device {
  browser: string | null;
  system: string | null;
  mobile: boolean;
}

export function describeUserAgent(userAgent: string | null | undefined): Device {
  const ua = userAgent ?? "";
  const browser = BROWSERS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  const system = SYSTEMS.find(([pattern]) => pattern.test(ua))?.[1] ?? null;
  return { browser, system, mobile: /Mobi|Android|iPhone|iPad/.test(ua) };
}
