import en from "@/features/requests/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const requestsFeature: FeatureModule = {
  id: "requests",
  translations: { en },
  routes: [],
  // Uncomment when the first page exists:
  // nav: [{ to: "/requests", label: "requests:nav", icon: IconListCheck, order: 30 }],
};
