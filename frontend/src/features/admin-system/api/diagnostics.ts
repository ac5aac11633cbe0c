// Error reports and performance figures.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { systemKeys, type ErrorFilter } from "@/features/admin-system/api/keys";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

export type ErrorReport = components["schemas"]["ErrorReportRead"];
export type RouteFigures = components["schemas"]["RouteFigures"];
export type SlowQuery = components["schemas"]["SlowQueryRead"];
export type Recommendation = components["schemas"]["Recommendation"];
export const ERRORS_PAGE_SIZE = 20;

export function useRecentErrors(filter: ErrorFilter) {
  return useQuery({
    queryKey: systemKeys.errors(filter),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/errors/recent", {
          params: { query: { ...filter, limit: ERRORS_PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRouteMetrics(window: string) {
  return useQuery({
    queryKey: systemKeys.metrics(window),
    queryFn: () =>
      unwrap(api.GET("/api/v1/performance/metrics", { params: { query: { timeWindow: window } } })),
    placeholderData: keepPreviousData,
  });
}

export function useDatabaseFigures() {
  return useQuery({
    queryKey: systemKeys.database(),
    queryFn: () => unwrap(api.GET("/api/v1/performance/database")),
  });
}

export function useRecommendations() {
  return useQuery({
    queryKey: systemKeys.recommendations(),
    queryFn: () => unwrap(api.GET("/api/v1/performance/recommendations")),
  });
}

export function useClearCache() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/performance/optimize", { body: { clearCache: true } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: systemKeys.performance() }),
  });
}
