import en from "@/features/auth/i18n/en.json";
import type { FeatureModule } from "@/lib/feature";

export const authFeature: FeatureModule = {
  id: "auth",
  translations: { en },
  publicRoutes: [
    {
      path: "sign-in",
      lazy: () =>
        import("@/features/auth/routes/SignInPage").then((m) => ({ Component: m.SignInPage })),
    },
  ],
};
