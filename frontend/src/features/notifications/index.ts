import en from "@/features/notifications/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

/** Issue 12: pages not built yet; add routes here (see frontend/README.md). */
export const notificationsFeature: FeatureModule = {
  id: "notifications",
  translations: { en },
  routes: [],
};
