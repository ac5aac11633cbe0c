// The audit log, filtered and paged, and the users its actors are.
import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { systemKeys, type AuditFilter } from "@/features/admin-system/api/keys";
import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

export type AuditEntry = components["schemas"]["AuditLogRead"];
export const AUDIT_PAGE_SIZE = 20;

export function useAuditLog(filter: AuditFilter) {
  return useQuery({
    queryKey: systemKeys.audit(filter),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/admin/audit-logs", {
          params: { query: { ...filter, limit: AUDIT_PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The first hundred accounts, to name actors and filter by them. */
export function useActors() {
  return useQuery({
    queryKey: systemKeys.auditActors(),
    queryFn: () => unwrap(api.GET("/api/v1/admin/users", { params: { query: { limit: 100 } } })),
    staleTime: 60_000,
  });
}
