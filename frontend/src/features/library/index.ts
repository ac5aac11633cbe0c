import en from "@/features/library/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const libraryFeature: FeatureModule = {
  id: "library",
  translations: { en },
  routes: [],
  // Uncomment when the first page exists:
  // nav: [{ to: "/plex", label: "library:nav", icon: IconDeviceTv, order: 40 }],
};
