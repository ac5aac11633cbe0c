// The features of signed-in users. Adding a feature = one line here (or in publicFeatures.ts
// for pages of signed-out visitors); everything else about it (routes, nav entries, strings)
// is declared in its own index.ts. This list loads with the signed-in shell, not with the
// sign-in page (app/shell/SignedInApp.tsx).
import { accountFeature } from "@/features/account";
import { adminFeature } from "@/features/admin";
import { adminSystemFeature } from "@/features/admin-system";
import { discoverFeature } from "@/features/discover";
import { homeFeature } from "@/features/home";
import { libraryFeature } from "@/features/library";
import { notificationsFeature } from "@/features/notifications";
import { requestsFeature } from "@/features/requests";
import { youtubeFeature } from "@/features/youtube";
import type { FeatureModule } from "@/lib/feature";

export const FEATURES: readonly FeatureModule[] = [
  homeFeature,
  discoverFeature,
  requestsFeature,
  libraryFeature,
  youtubeFeature,
  notificationsFeature,
  accountFeature,
  adminFeature,
  adminSystemFeature,
];
