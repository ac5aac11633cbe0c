import { IconCompass } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

export const discoverFeature: FeatureModule = {
  id: "discover",
  translations: { en: () => import("@/features/discover/i18n/en.json") },
  routes: [
    {
      path: "discover",
      lazy: () =>
        import("@/features/discover/routes/DiscoverPage").then((m) => ({ Component: m.DiscoverPage })),
    },
    {
      path: "discover/search",
      lazy: () =>
        import("@/features/discover/routes/SearchPage").then((m) => ({ Component: m.SearchPage })),
    },
    {
      path: "discover/row/:row",
      lazy: () => import("@/features/discover/routes/RowPage").then((m) => ({ Component: m.RowPage })),
    },
    {
      path: "discover/movie/:tmdbId",
      lazy: () =>
        import("@/features/discover/routes/MediaPage").then((m) => ({ Component: m.MoviePage })),
    },
    {
      path: "discover/tv/:tmdbId",
      lazy: () =>
        import("@/features/discover/routes/MediaPage").then((m) => ({ Component: m.ShowPage })),
    },
  ],
  nav: [{ to: "/discover", label: "discover:nav", icon: IconCompass, order: 20 }],
};
