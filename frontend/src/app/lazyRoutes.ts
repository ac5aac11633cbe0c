// Features declare pages as `lazy: () => import(...).then((m) => ({ Component }))`. React
// Router's declarative mode (which MediaNest uses, see router.tsx) has no `lazy` routes: here
// each becomes a `React.lazy` component whose module loads together with the feature's strings.
import type { i18n as I18n } from "i18next";
import { lazy, type ComponentType } from "react";
import { matchRoutes, type RouteObject } from "react-router";

import type { FeatureModule } from "@/lib/feature";

type RouteModule = { Component?: ComponentType | null };
type Preload = () => Promise<unknown>;

/** Kept in `handle` so that the first URL's chunks are fetched before the guards render. */
interface LazyHandle {
  preload: Preload;
}

export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

/** Each `lazy` route becomes a React.lazy `Component` that also loads `strings` first. */
export function withLazyComponents(routes: RouteObject[], strings: Preload): RouteObject[] {
  return routes.map((route): RouteObject => {
    const children = route.children && withLazyComponents(route.children, strings);
    const loadRoute = route.lazy;
    if (typeof loadRoute !== "function") return { ...route, children } as RouteObject;
    const preload = once(async () => {
      const [module] = await Promise.all([loadRoute() as Promise<RouteModule>, strings()]);
      return module;
    });
    const Component = lazy(async () => {
      const module = await preload();
      if (!module.Component) throw new Error("a lazy route module without a Component");
      return { default: module.Component };
    });
    const handle: LazyHandle = { preload };
    return { ...route, lazy: undefined, Component, handle, children } as RouteObject;
  });
}

/** The routes that `pick` takes from each feature, each loading the feature's strings. */
export function featureRoutes(
  features: readonly FeatureModule[],
  i18n: I18n,
  pick: (feature: FeatureModule) => RouteObject[] | undefined,
): RouteObject[] {
  return features.flatMap((feature) =>
    withLazyComponents(pick(feature) ?? [], () => i18n.loadNamespaces(feature.id)),
  );
}

/** Starts fetching the chunks of the page at `pathname` (as React Router's data mode does). */
export function preloadRoutes(routes: RouteObject[], pathname: string, basename: string): void {
  for (const match of matchRoutes(routes, pathname, basename) ?? []) {
    void (match.route.handle as LazyHandle | undefined)?.preload();
  }
}
