import { SimpleGrid } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useLocation } from "wouter";

import { PosterCard } from "@/components/PosterCard";
import type { PlexItem } from "@/features/library/api/plex";
import { itemSubtitle } from "@/features/library/components/itemText";

/** Where a card leads: a collection opens its page, anything else its detail dialog (this
 * page at `path`, with `?item=`). */
export function itemLink(item: PlexItem, path: string, search: URLSearchParams): string {
  if (item.type === "collection") return `/plex/collections/${item.ratingKey}`;
  const next = new URLSearchParams(search);
  next.set("item", item.ratingKey);
  return `${path}?${next.toString()}`;
}

export function PlexPosterGrid({
  items,
  search,
  label,
}: {
  items: PlexItem[];
  search: URLSearchParams;
  label: string;
}) {
  const { t } = useTranslation("library");
  const [path] = useLocation();
  return (
    <SimpleGrid
      cols={{ base: 2, xs: 3, sm: 4, md: 5, lg: 6 }}
      spacing={{ base: "sm", sm: "md" }}
      component="ul"
      aria-label={label}
      style={{ listStyle: "none", padding: 0, margin: 0 }}
    >
      {items.map((item) => (
        <li key={item.ratingKey}>
          <PosterCard
            title={item.title}
            subtitle={itemSubtitle(item, t)}
            imageUrl={item.thumbUrl}
            to={itemLink(item, path, search)}
          />
        </li>
      ))}
    </SimpleGrid>
  );
}
