import en from "@/features/youtube/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const youtubeFeature: FeatureModule = {
  id: "youtube",
  translations: { en },
  routes: [],
  // Uncomment when the first page exists:
  // nav: [{ to: "/youtube", label: "youtube:nav", icon: IconBrandYoutube, order: 50 }],
};
