import en from "@/features/discover/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const discoverFeature: FeatureModule = {
  id: "discover",
  translations: { en },
  routes: [],
  // Uncomment when the first page exists:
  // nav: [{ to: "/discover", label: "discover:nav", icon: IconCompass, order: 20 }],
};
