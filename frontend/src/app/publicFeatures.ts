// The features with pages for signed-out visitors (`publicRoutes`, `bareRoutes`): they are in
// the first download, so keep this list short. Every other feature is in features.ts, which
// loads with the signed-in shell. A feature with pages of both kinds is listed in both.
import { authFeature } from "@/features/auth";
import { setupFeature } from "@/features/setup";
import type { FeatureModule } from "@/lib/feature";

export const PUBLIC_FEATURES: readonly FeatureModule[] = [authFeature, setupFeature];
