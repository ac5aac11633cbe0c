import { IconCompass } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

export const discoverFeature: FeatureModule = {
  id: "discover",
  translations: { en: () => import("@/features/discover/i18n/en.json") },
  routes: [
    {
      path: "/discover",
      page: () => import("@/features/discover/routes/DiscoverPage").then((m) => m.DiscoverPage),
    },
    {
      path: "/discover/search",
      page: () => import("@/features/discover/routes/SearchPage").then((m) => m.SearchPage),
    },
    {
      path: "/discover/row/:row",
      page: () => import("@/features/discover/routes/RowPage").then((m) => m.RowPage),
    },
    {
      path: "/discover/movie/:tmdbId",
      page: () => import("@/features/discover/routes/MediaPage").then((m) => m.MoviePage),
    },
    {
      path: "/discover/tv/:tmdbId",
      page: () => import("@/features/discover/routes/MediaPage").then((m) => m.ShowPage),
    },
  ],
  nav: [{ to: "/discover", label: "discover:nav", icon: IconCompass, order: 20 }],
};
