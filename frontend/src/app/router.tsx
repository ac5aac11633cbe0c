import { createBrowserRouter, type RouteObject } from "react-router";

import { RouteErrorScreen } from "@/app/ErrorBoundary";
import { FEATURES } from "@/app/features";
import { RequireSignedIn, RequireSignedOut } from "@/app/guards";
import { AuthLayout } from "@/components/AuthLayout";
import { basePath } from "@/lib/base";

export function buildRoutes(): RouteObject[] {
  const signedIn = FEATURES.flatMap((feature) => feature.routes ?? []);
  const signedOut = FEATURES.flatMap((feature) => feature.publicRoutes ?? []);
  const bare = FEATURES.flatMap((feature) => feature.bareRoutes ?? []);
  return [
    {
      errorElement: <RouteErrorScreen />,
      children: [
        { element: <RequireSignedOut />, children: [{ element: <AuthLayout />, children: signedOut }] },
        ...bare,
        {
          element: <RequireSignedIn />,
          children: [
            {
              // The shell (and socket.io-client) load only once signed in.
              lazy: () => import("@/app/shell/AppLayout").then((m) => ({ Component: m.AppLayout })),
              children: [
                ...signedIn,
                {
                  path: "*",
                  lazy: () => import("@/app/NotFoundPage").then((m) => ({ Component: m.NotFoundPage })),
                },
              ],
            },
          ],
        },
      ],
    },
  ];
}

export function createAppRouter() {
  return createBrowserRouter(buildRoutes(), { basename: basePath() || "/" });
}
