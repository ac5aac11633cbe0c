import en from "@/features/admin/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const adminFeature: FeatureModule = {
  id: "admin",
  translations: { en },
  routes: [],
  // Uncomment when the first page exists:
  // nav: [{ to: "/admin", label: "admin:nav", icon: IconSettings, order: 100, section: "admin" }],
};
