// The route table, matched with wouter. Features declare their pages as `RouteDef`s
// (lib/feature.ts); here each becomes a React.lazy page whose module loads together with the
// feature's strings, so every page stays a chunk of its own. `<Routes>` renders the first
// route whose path matches, inside its layouts (outermost first): the layouts two routes share
// stay mounted when one page gives way to the other.
//
// wouter instead of React Router: ~37 KB less JavaScript for every first visit, and the
// sign-in route must stay under 150 KB gzipped (bench/web_bundle.py).
import type { i18n as I18n } from "i18next";
import { lazy, type ComponentType, type ReactNode } from "react";
import { Route, useLocation } from "wouter";

import type { FeatureModule, RouteDef } from "@/lib/feature";
import { matchesPath } from "@/lib/routing";

export type Layout = ComponentType<{ children: ReactNode }>;

export interface AppRoute {
  path: string;
  Page: ComponentType;
  /** Fetches the page's chunks (and strings); React.lazy then finds them there. */
  preload: () => Promise<unknown>;
  layouts: readonly Layout[];
}

export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** `routes` as lazy pages that load `strings` first, inside `layouts`. */
export function appRoutes(
  routes: readonly RouteDef[],
  strings: () => Promise<unknown>,
  layouts: readonly Layout[] = [],
): AppRoute[] {
  return routes.map((route) => {
    const preload = once(async () => {
      const [Page] = await Promise.all([route.page(), strings()]);
      return Page;
    });
    return {
      path: route.path,
      Page: lazy(async () => ({ default: await preload() })),
      preload,
      layouts: route.layout ? [...layouts, route.layout] : layouts,
    };
  });
}

/** The routes that `pick` takes from each feature, each loading the feature's strings. */
export function featureRoutes(
  features: readonly FeatureModule[],
  i18n: I18n,
  pick: (feature: FeatureModule) => RouteDef[] | undefined,
  layouts: readonly Layout[] = [],
): AppRoute[] {
  return features.flatMap((feature) =>
    appRoutes(pick(feature) ?? [], () => i18n.loadNamespaces(feature.id), layouts),
  );
}

function matching(routes: readonly AppRoute[], path: string): AppRoute | undefined {
  return routes.find((route) => matchesPath(route.path, path));
}

/** Starts fetching the chunks of the page at `path` (inside the app) before anything renders. */
export function preloadRoutes(routes: readonly AppRoute[], path: string): void {
  void matching(routes, path)?.preload();
}

/** The first route that matches the address, in its layouts (`useParams` gives its params). */
export function Routes({ routes }: { routes: readonly AppRoute[] }) {
  const [path] = useLocation();
  const route = matching(routes, path);
  if (!route) return null;
  const page = route.layouts.reduceRight<ReactNode>(
    (child, Wrapper) => <Wrapper>{child}</Wrapper>,
    <route.Page />,
  );
  return <Route path={route.path}>{page}</Route>;
}
