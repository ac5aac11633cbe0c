import type { FeatureModule } from "@/lib/feature";

export const setupFeature: FeatureModule = {
  id: "setup",
  translations: { en: () => import("@/features/setup/i18n/en.json") },
  bareRoutes: [
    {
      path: "/setup",
      page: () => import("@/features/setup/routes/SetupPage").then((m) => m.SetupPage),
    },
  ],
};
