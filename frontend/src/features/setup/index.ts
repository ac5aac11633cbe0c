import en from "@/features/setup/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

export const setupFeature: FeatureModule = {
  id: "setup",
  translations: { en },
  bareRoutes: [
    {
      path: "setup",
      lazy: () =>
        import("@/features/setup/routes/SetupPage").then((m) => ({ Component: m.SetupPage })),
    },
  ],
};
