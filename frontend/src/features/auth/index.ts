import type { FeatureModule } from "@/lib/feature";

export const authFeature: FeatureModule = {
  id: "auth",
  translations: { en: () => import("@/features/auth/i18n/en.json") },
  publicRoutes: [
    {
      path: "sign-in",
      lazy: () =>
        import("@/features/auth/routes/SignInPage").then((m) => ({ Component: m.SignInPage })),
    },
    {
      path: "forgot-password",
      lazy: () =>
        import("@/features/auth/routes/ForgotPasswordPage").then((m) => ({
          Component: m.ForgotPasswordPage,
        })),
    },
  ],
  // The links in mails work whether or not someone is signed in in this browser.
  bareRoutes: [
    {
      path: "reset-password",
      lazy: () =>
        import("@/features/auth/routes/SetPasswordPage").then((m) => ({
          Component: m.ResetPasswordPage,
        })),
    },
    {
      path: "set-password",
      lazy: () =>
        import("@/features/auth/routes/SetPasswordPage").then((m) => ({
          Component: m.InvitationPage,
        })),
    },
  ],
};
