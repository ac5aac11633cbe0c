// Everything signed-in users get, in a chunk of its own: the shell, every signed-in feature's
// routes and nav entries, their strings. The sign-in page does not download any of it.
import type { i18n as I18n } from "i18next";

import { FEATURES } from "@/app/features";
import { appRoutes, featureRoutes, preloadRoutes, Routes, type AppRoute } from "@/app/routing";
import { AppLayout } from "@/app/shell/AppLayout";
import { addCatalogues } from "@/lib/i18n";

function signedInRoutes(i18n: I18n): AppRoute[] {
  return [
    ...featureRoutes(FEATURES, i18n, (feature) => feature.routes),
    ...appRoutes(
      [{ path: "*", page: () => import("@/app/NotFoundPage").then((m) => m.NotFoundPage) }],
      () => Promise.resolve(), // common strings only: always there
    ),
  ];
}

/** The signed-in part of the app, once its features' strings (every nav label) have loaded;
 * the page at `path` starts loading at once. */
export async function loadSignedInApp(i18n: I18n, path: string) {
  addCatalogues(i18n, Object.fromEntries(FEATURES.map((f) => [f.id, f.translations])));
  const routes = signedInRoutes(i18n);
  preloadRoutes(routes, path);
  await i18n.loadNamespaces(FEATURES.map((feature) => feature.id));
  return function SignedInApp() {
    return (
      <AppLayout>
        <Routes routes={routes} />
      </AppLayout>
    );
  };
}
