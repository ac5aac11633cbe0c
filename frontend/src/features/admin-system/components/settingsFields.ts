// Which fields each settings section shows, and how its form values map to the API's.
import type { SettingsRead, SettingSource, TestableService } from "@/features/admin-system/api/settings";
import { isApiError } from "@/lib/api/errors";

export type SectionId = keyof SettingsRead;
export type FieldKind = "text" | "number" | "secret" | "tags" | "select";
export type SecretMode = "keep" | "replace" | "clear";

export interface FieldSpec {
  key: string;
  kind: FieldKind;
  options?: readonly string[];
  /** Shows `settings.hints.<section>.<key>` under the field. */
  hint?: boolean;
}

export interface SectionSpec {
  id: SectionId;
  fields: readonly FieldSpec[];
  test?: TestableService;
}

const text = (key: string): FieldSpec => ({ key, kind: "text" });

export const SECTIONS: readonly SectionSpec[] = [
  { id: "plex", test: "plex", fields: [text("url"), { key: "token", kind: "secret" }] },
  {
    id: "overseerr",
    test: "overseerr",
    fields: [text("url"), { key: "apiKey", kind: "secret" }, { key: "webhookSecret", kind: "secret" }],
  },
  {
    id: "youtube",
    fields: [
      { key: "allowedHosts", kind: "tags" },
      {
        key: "defaultQuality",
        kind: "select",
        options: ["best", "2160p", "1440p", "1080p", "720p", "480p", "360p", "audio"],
      },
      text("libraryDir"),
      { key: "maxConcurrentDownloads", kind: "number", hint: true },
    ],
  },
  {
    id: "mail",
    test: "mail",
    fields: [
      text("host"),
      { key: "port", kind: "number" },
      text("username"),
      { key: "password", kind: "secret" },
      { key: "security", kind: "select", options: ["starttls", "tls", "none"] },
      text("from"),
    ],
  },
  {
    id: "rateLimits",
    fields: ["apiPerIp", "apiPerUser", "login", "passwordReset", "mediaRequests", "downloads", "errorReports"].map(text),
  },
];

/** One entry of a section as read: a value, or (secrets) only whether one is set. */
export interface ReadEntry {
  value?: unknown;
  isSet?: boolean;
  source: SettingSource;
}

export type FormValues = Record<string, unknown>;

export function readEntries(settings: SettingsRead, id: SectionId): Record<string, ReadEntry> {
  return settings[id];
}

export function initialValues(spec: SectionSpec, entries: Record<string, ReadEntry>): FormValues {
  const values: FormValues = {};
  for (const field of spec.fields) {
    const value = entries[field.key]?.value;
    if (field.kind === "secret") {
      values[field.key] = "";
      values[`${field.key}Mode`] = "keep" satisfies SecretMode;
    } else if (field.kind === "tags") values[field.key] = Array.isArray(value) ? value : [];
    else if (field.kind === "number") values[field.key] = typeof value === "number" ? value : "";
    else values[field.key] = typeof value === "string" ? value : "";
  }
  return values;
}

function blankToNull(value: unknown): unknown {
  return value === "" ? null : value;
}

/** The keys that changed, as the API takes them: "" and "clear" are null (back to the
 * environment's value), a secret left alone is not sent. */
export function changedValues(
  spec: SectionSpec,
  values: FormValues,
  isDirty: (key: string) => boolean,
): FormValues {
  const changes: FormValues = {};
  for (const field of spec.fields) {
    if (field.kind === "secret") {
      const mode = values[`${field.key}Mode`] as SecretMode;
      if (mode === "replace") changes[field.key] = values[field.key];
      if (mode === "clear") changes[field.key] = null;
    } else if (isDirty(field.key)) {
      changes[field.key] = blankToNull(values[field.key]);
    }
  }
  return changes;
}

/** What a connection test tries: the changed values, never a clearing. */
export function valuesToTry(changes: FormValues): FormValues {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== null));
}

/** The API's per-field messages of this section (`details: [{field: "plex.url", ...}]`). */
export function fieldErrors(error: unknown, id: SectionId): Record<string, string> {
  if (!isApiError(error) || !Array.isArray(error.details)) return {};
  const errors: Record<string, string> = {};
  for (const detail of error.details as unknown[]) {
    if (typeof detail !== "object" || detail === null) continue;
    const { field, message } = detail as { field?: unknown; message?: unknown };
    if (typeof field !== "string" || typeof message !== "string") continue;
    if (field.startsWith(`${id}.`)) errors[field.slice(id.length + 1)] = message;
  }
  return errors;
}

/** A random webhook secret to paste into Overseerr (and save here). */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
