// Every feature of the app. Adding a feature = one line here; everything else about it
// (routes, nav entries, strings) is declared in its own index.ts.
import { accountFeature } from "@/features/account";
import { adminFeature } from "@/features/admin";
import { adminSystemFeature } from "@/features/admin-system";
import { authFeature } from "@/features/auth";
import { discoverFeature } from "@/features/discover";
import { homeFeature } from "@/features/home";
import { libraryFeature } from "@/features/library";
import { notificationsFeature } from "@/features/notifications";
import { requestsFeature } from "@/features/requests";
import { setupFeature } from "@/features/setup";
import { youtubeFeature } from "@/features/youtube";
import type { FeatureModule } from "@/lib/feature";

export const FEATURES: readonly FeatureModule[] = [
  authFeature,
  setupFeature,
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
