// What a feature contributes to the app. Each feature's index.ts exports one `FeatureModule`;
// src/app/features.ts lists them. Routes, nav entries and translations then live with the
// feature, so page authors working in parallel rarely edit the same file.
import type { ComponentType } from "react";
import type { RouteObject } from "react-router";

export type Role = "admin" | "user";

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
  /** Resources of the feature's namespace, per language: `{ en: {...} }`. */
  translations: Record<string, Record<string, unknown>>;
  /** Pages for signed-in users, rendered inside the app shell. */
  routes?: RouteObject[];
  /** Pages for signed-out visitors (sign-in, reset password): a centered card layout. */
  publicRoutes?: RouteObject[];
  /** Pages for anyone, without the shell (setup wizard). */
  bareRoutes?: RouteObject[];
  nav?: NavEntry[];
}
