import { useTranslation } from "react-i18next";

import { PosterCard } from "@/components";
import type { MediaSummary } from "@/features/discover/api/discover";
import { AvailabilityBadge } from "@/features/discover/components/AvailabilityBadge";

export function mediaPath(item: Pick<MediaSummary, "mediaType" | "tmdbId">): string {
  return `/discover/${item.mediaType}/${item.tmdbId}`;
}

/** A title's poster, linking to its details, with its availability badge. */
export function MediaCard({ item }: { item: MediaSummary }) {
  const { t } = useTranslation("discover");
  const kind = t(`type.${item.mediaType}`);
  const subtitle = item.year ? `${item.year} · ${kind}` : kind;
  return (
    <PosterCard
      title={item.title}
      subtitle={subtitle}
      imageUrl={item.posterUrl}
      to={mediaPath(item)}
      badge={<AvailabilityBadge availability={item.availability} />}
    />
  );
}
