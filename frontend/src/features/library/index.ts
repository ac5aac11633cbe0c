import { IconDeviceTv } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

/** Browsing the Plex server: libraries, items, collections, search (issue 12). */
export const libraryFeature: FeatureModule = {
  id: "library",
  translations: { en: () => import("@/features/library/i18n/en.json") },
  routes: [
    {
      path: "plex",
      lazy: () =>
        import("@/features/library/routes/PlexPage").then((m) => ({ Component: m.PlexPage })),
    },
    {
      path: "plex/libraries/:key",
      lazy: () =>
        import("@/features/library/routes/LibraryPage").then((m) => ({ Component: m.LibraryPage })),
    },
    {
      path: "plex/collections/:key",
      lazy: () =>
        import("@/features/library/routes/CollectionPage").then((m) => ({
          Component: m.CollectionPage,
        })),
    },
    {
      path: "plex/search",
      lazy: () =>
        import("@/features/library/routes/SearchPage").then((m) => ({ Component: m.SearchPage })),
    },
  ],
  nav: [{ to: "/plex", label: "library:nav", icon: IconDeviceTv, order: 40 }],
};
