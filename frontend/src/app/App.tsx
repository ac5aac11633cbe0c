import { useState } from "react";
import { RouterProvider } from "react-router";

import { ErrorBoundary } from "@/app/ErrorBoundary";
import { FEATURES } from "@/app/features";
import { AppProviders, useStableQueryClient } from "@/app/providers";
import { createAppRouter } from "@/app/router";
import { createI18n } from "@/lib/i18n";

function createAppI18n() {
  return createI18n(Object.fromEntries(FEATURES.map((f) => [f.id, f.translations])));
}

export function App() {
  const [i18n] = useState(createAppI18n);
  const [router] = useState(createAppRouter);
  const queryClient = useStableQueryClient();
  return (
    <AppProviders i18n={i18n} queryClient={queryClient}>
      <ErrorBoundary>
        <RouterProvider router={router} />
      </ErrorBoundary>
    </AppProviders>
  );
}
