import en from "@/features/account/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const accountFeature: FeatureModule = {
  id: "account",
  translations: { en },
  routes: [],
  // Uncomment when the first page exists:
  // nav: [{ to: "/account", label: "account:nav", icon: IconUserCircle, order: 90 }],
};
