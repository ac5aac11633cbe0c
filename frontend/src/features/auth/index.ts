import type { FeatureModule } from "@/lib/feature";

export const authFeature: FeatureModule = {
  id: "auth",
  translations: { en: () => import("@/features/auth/i18n/en.json") },
  publicRoutes: [
    {
      path: "/sign-in",
      page: () => import("@/features/auth/routes/SignInPage").then((m) => m.SignInPage),
    },
    {
      path: "/forgot-password",
      page: () => import("@/features/auth/routes/ForgotPasswordPage").then((m) => m.ForgotPasswordPage),
    },
  ],
  // The links in mails work whether or not someone is signed in in this browser.
  bareRoutes: [
    {
      path: "/reset-password",
      page: () => import("@/features/auth/routes/SetPasswordPage").then((m) => m.ResetPasswordPage),
    },
    {
      path: "/set-password",
      page: () => import("@/features/auth/routes/SetPasswordPage").then((m) => m.InvitationPage),
    },
  ],
};
