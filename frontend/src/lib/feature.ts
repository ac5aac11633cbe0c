// What a feature contributes to the app. Each feature's index.ts exports one `FeatureModule`;
// src/app/features.ts lists them. Routes, nav entries and translations then live with the
// feature, so page authors working in parallel rarely edit the same file.
import type { ComponentType, ReactNode } from "react";

import type { CatalogueSource } from "@/lib/i18n";

export type Role = "admin" | "user";

/** A page of a feature. Its module is fetched on the first visit, with the feature's strings. */
export interface RouteDef {
  /** Path inside the app (never with the base path), a wouter pattern: "/requests/:id";
   * "/" is the home page. The first route that matches wins. */
  path: string;
  /** The page component: `() => import("@/features/<id>/routes/ThingPage").then((m) => m.ThingPage)`. */
  page: () => Promise<ComponentType>;
  /** Wraps the page, e.g. `RequireAdmin` (the 403 page for everyone but admins). */
  layout?: ComponentType<{ children: ReactNode }>;
}

export interface NavEntry {
  /** Path inside the app, e.g. "/requests". */
  to: string;
  /** i18n key, `<namespace>:<key>`. */
  label: string;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  /** Sort order in the navbar (lower first); leave gaps of 10. */
  order: number;
  /** "admin" entries show only to admins, under their own heading. */
  section?: "main" | "admin";
}

export interface FeatureModule {
  /** Also the i18n namespace of `translations`. */
  id: string;
  /** The feature's catalogue per language, imported lazily:
   * `{ en: () => import("@/features/<id>/i18n/en.json") }`. It loads with the feature's
   * pages (and with the signed-in shell, which shows every nav label). */
  translations: Record<string, CatalogueSource>;
  /** Pages for signed-in users, rendered inside the app shell. */
  routes?: RouteDef[];
  /** Pages for signed-out visitors (sign-in, reset password): a centered card layout. */
  publicRoutes?: RouteDef[];
  /** Pages for anyone, without the shell (setup wizard). */
  bareRoutes?: RouteDef[];
  nav?: NavEntry[];
}
