import { IconBrandYoutube } from "@tabler/icons-react";

import type { FeatureModule } from "@/lib/feature";

/** YouTube downloads: link lookup, presets, a live queue (issue 12). */
export const youtubeFeature: FeatureModule = {
  id: "youtube",
  translations: { en: () => import("@/features/youtube/i18n/en.json") },
  routes: [
    {
      path: "/youtube",
      page: () => import("@/features/youtube/routes/YouTubePage").then((m) => m.YouTubePage),
    },
    {
      path: "/downloads/:id",
      page: () =>
        import("@/features/youtube/routes/OldDownloadLink").then((m) => m.OldDownloadLink),
    },
  ],
  nav: [{ to: "/youtube", label: "youtube:nav", icon: IconBrandYoutube, order: 50 }],
};
