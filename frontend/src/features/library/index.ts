import { IconDeviceTv } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

/** Browsing the Plex server: libraries, items, collections, search (issue 12). */
export const libraryFeature: FeatureModule = {
  id: "library",
  translations: { en: () => import("@/features/library/i18n/en.json") },
  routes: [
    {
      path: "/plex",
      page: () => import("@/features/library/routes/PlexPage").then((m) => m.PlexPage),
    },
    {
      path: "/plex/libraries/:key",
      page: () => import("@/features/library/routes/LibraryPage").then((m) => m.LibraryPage),
    },
    {
      path: "/plex/collections/:key",
      page: () => import("@/features/library/routes/CollectionPage").then((m) => m.CollectionPage),
    },
    {
      path: "/plex/search",
      page: () => import("@/features/library/routes/SearchPage").then((m) => m.SearchPage),
    },
  ],
  nav: [{ to: "/plex", label: "library:nav", icon: IconDeviceTv, order: 40 }],
};
