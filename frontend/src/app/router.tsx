// The route tree, in React Router's declarative mode (`<BrowserRouter>` + `useRoutes`). Its
// data mode (`createBrowserRouter`) would add ~16 KB of gzipped JavaScript to every first
// visit, for loaders, actions and fetchers that MediaNest does not use, and the sign-in route
// must stay under 150 KB (bench/web_bundle.py). Navigations run in transitions
// (`<BrowserRouter>` wraps them in startTransition), so the old page stays on screen until the
// next page's chunk has arrived, as it did in data mode.
//
// Here: the pages of signed-out visitors and the setup wizard. Everything behind sign-in is one
// lazy route that loads the shell and the signed-in features (app/shell/SignedInApp.tsx).
import type { i18n as I18n } from "i18next";
import { lazy, Suspense } from "react";
import { useLocation, useRoutes, type RouteObject } from "react-router";

import { ErrorBoundary } from "@/app/ErrorBoundary";
import { RequireSignedIn, RequireSignedOut } from "@/app/guards";
import { featureRoutes, once } from "@/app/lazyRoutes";
import { PUBLIC_FEATURES } from "@/app/publicFeatures";
import { AuthLayout } from "@/components/AuthLayout";
import { LoadingState } from "@/components/LoadingState";

export function buildRoutes(i18n: I18n, basename: string): RouteObject[] {
  const loadSignedIn = once(() =>
    import("@/app/shell/SignedInApp").then((m) =>
      m.loadSignedInApp(i18n, window.location.pathname, basename),
    ),
  );
  const SignedInApp = lazy(() => loadSignedIn().then((Component) => ({ default: Component })));
  return [
    {
      element: <RequireSignedOut />,
      children: [
        { element: <AuthLayout />, children: featureRoutes(PUBLIC_FEATURES, i18n, (f) => f.publicRoutes) },
      ],
    },
    ...featureRoutes(PUBLIC_FEATURES, i18n, (feature) => feature.bareRoutes),
    {
      element: <RequireSignedIn />,
      children: [{ path: "*", Component: SignedInApp, handle: { preload: loadSignedIn } }],
    },
  ];
}

/** The pages, with one crash screen that clears on the next navigation. */
export function AppRoutes({ routes }: { routes: RouteObject[] }) {
  const element = useRoutes(routes);
  const { pathname } = useLocation();
  return (
    <ErrorBoundary resetKey={pathname}>
      <Suspense fallback={<LoadingState minHeight={400} />}>{element}</Suspense>
    </ErrorBoundary>
  );
}
