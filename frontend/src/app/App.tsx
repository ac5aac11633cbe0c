// The app: providers, the router and the top of the route table. Here: the pages of signed-out
// visitors and the setup wizard. Everything behind sign-in is one lazy route that loads the
// shell and the signed-in features (app/shell/SignedInApp.tsx).
import type { i18n as I18n } from "i18next";
import { lazy, Suspense, useState } from "react";
import { useLocation } from "wouter";

import { ErrorBoundary } from "@/app/ErrorBoundary";
import { RequireSignedIn, RequireSignedOut } from "@/app/guards";
import { AppProviders, useStableQueryClient } from "@/app/providers";
import { PUBLIC_FEATURES } from "@/app/publicFeatures";
import { featureRoutes, once, preloadRoutes, Routes, type AppRoute } from "@/app/routing";
import { AuthLayout } from "@/components/AuthLayout";
import { LoadingState } from "@/components/LoadingState";
import { createI18n } from "@/lib/i18n";
import { AppRouter, currentAppPath } from "@/lib/routing";

function createAppI18n() {
  return createI18n(Object.fromEntries(PUBLIC_FEATURES.map((f) => [f.id, f.translations])));
}

function buildRoutes(i18n: I18n): AppRoute[] {
  const loadSignedIn = once(() =>
    import("@/app/shell/SignedInApp").then((m) => m.loadSignedInApp(i18n, currentAppPath())),
  );
  return [
    ...featureRoutes(PUBLIC_FEATURES, i18n, (f) => f.publicRoutes, [RequireSignedOut, AuthLayout]),
    ...featureRoutes(PUBLIC_FEATURES, i18n, (f) => f.bareRoutes),
    {
      path: "*",
      Page: lazy(async () => ({ default: await loadSignedIn() })),
      preload: loadSignedIn,
      layouts: [RequireSignedIn],
    },
  ];
}

/** The pages, with one crash screen that clears on the next navigation. */
function AppRoutes({ routes }: { routes: readonly AppRoute[] }) {
  const [path] = useLocation();
  return (
    <ErrorBoundary resetKey={path}>
      <Suspense fallback={<LoadingState minHeight={400} />}>
        <Routes routes={routes} />
      </Suspense>
    </ErrorBoundary>
  );
}

export function App() {
  const [i18n] = useState(createAppI18n);
  const [routes] = useState(() => {
    const built = buildRoutes(i18n);
    preloadRoutes(built, currentAppPath());
    return built;
  });
  const queryClient = useStableQueryClient();
  return (
    <AppProviders i18n={i18n} queryClient={queryClient}>
      <ErrorBoundary>
        <AppRouter>
          <AppRoutes routes={routes} />
        </AppRouter>
      </ErrorBoundary>
    </AppProviders>
  );
}
