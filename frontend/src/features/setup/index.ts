import type { FeatureModule } from "@/lib/feature";

export const setupFeature: FeatureModule = {
  id: "setup",
  translations: { en: () => import("@/features/setup/i18n/en.json") },
  bareRoutes: [
    {
      path: "setup",
      lazy: () =>
        import("@/features/setup/routes/SetupPage").then((m) => ({ Component: m.SetupPage })),
    },
  ],
};
