import { useState } from "react";
import { BrowserRouter } from "react-router";

import { ErrorBoundary } from "@/app/ErrorBoundary";
import { preloadRoutes } from "@/app/lazyRoutes";
import { AppProviders, useStableQueryClient } from "@/app/providers";
import { PUBLIC_FEATURES } from "@/app/publicFeatures";
import { AppRoutes, buildRoutes } from "@/app/router";
import { basePath } from "@/lib/base";
import { createI18n } from "@/lib/i18n";

function createAppI18n() {
  return createI18n(Object.fromEntries(PUBLIC_FEATURES.map((f) => [f.id, f.translations])));
}

export function App() {
  const [i18n] = useState(createAppI18n);
  const basename = basePath() || "/";
  const [routes] = useState(() => {
    const built = buildRoutes(i18n, basename);
    preloadRoutes(built, window.location.pathname, basename);
    return built;
  });
  const queryClient = useStableQueryClient();
  return (
    <AppProviders i18n={i18n} queryClient={queryClient}>
      <ErrorBoundary>
        <BrowserRouter basename={basename}>
          <AppRoutes routes={routes} />
        </BrowserRouter>
      </ErrorBoundary>
    </AppProviders>
  );
}
