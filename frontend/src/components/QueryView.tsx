import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { ApiErrorAlert } from "@/components/ApiErrorAlert";
import { LoadingState } from "@/components/LoadingState";

/** A query's loading and error states, its empty state when `isEmpty` says so, else `children`
 * with the data. */
export function QueryView<T>({
  query,
  isEmpty,
  empty,
  loadingHeight,
  children,
}: {
  query: UseQueryResult<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  loadingHeight?: number;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState minHeight={loadingHeight} />;
  if (query.isError) return <ApiErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return empty;
  return children(query.data);
}
