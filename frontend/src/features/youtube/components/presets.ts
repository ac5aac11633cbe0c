// The presets the API accepts (its `Quality` and `Container` enums), in the order offered.
import type { Container, Quality } from "@/features/youtube/api/downloads";

export const QUALITIES = [
  "best",
  "2160p",
  "1440p",
  "1080p",
  "720p",
  "480p",
  "360p",
] as const satisfies readonly Quality[];

export const VIDEO_FORMATS = ["mp4", "mkv", "webm"] as const satisfies readonly Container[];
export const AUDIO_FORMATS = ["mp3", "m4a"] as const satisfies readonly Container[];

// A compile error here means the API gained a preset this list does not offer.
type Offered = (typeof QUALITIES)[number] | "audio";
type OfferedFormats = (typeof VIDEO_FORMATS)[number] | (typeof AUDIO_FORMATS)[number];
export const EVERY_PRESET_OFFERED: [Exclude<Quality, Offered>, Exclude<Container, OfferedFormats>] extends [never, never]
  ? true
  : false = true;
