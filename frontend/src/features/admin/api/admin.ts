// Query and mutation hooks of the admin console (people side) over the generated client.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components, operations } from "@/lib/api/schema";
import { sessionKeys } from "@/lib/session";

export type UserRead = components["schemas"]["UserRead"];
export type UserCreate = components["schemas"]["UserCreate"];
export type Role = components["schemas"]["Role"];
export type UserSort = components["schemas"]["UserSort"];
export type MediaRequestRead = components["schemas"]["MediaRequestRead"];
export type DownloadRead = components["schemas"]["DownloadRead"];
export type BroadcastCreate = components["schemas"]["BroadcastCreate"];
export type Severity = components["schemas"]["Severity-Input"];
export type RequestStatus = components["schemas"]["RequestStatus"];
export type MediaType = components["schemas"]["MediaType"];
export type DownloadStatus = components["schemas"]["DownloadStatus"];
export type AuditLogRead = components["schemas"]["AuditLogRead"];

export type UserFilter = NonNullable<operations["listUsers"]["parameters"]["query"]>;
export type RequestFilter = NonNullable<
  operations["listAllRequests"]["parameters"]["query"]
>;
export type DownloadFilter = NonNullable<
  operations["listDownloads"]["parameters"]["query"]
>;
export type AuditFilter = NonNullable<
  operations["listAuditLogs"]["parameters"]["query"]
>;

export const adminKeys = {
  all: ["admin"] as const,
  stats: () => [...adminKeys.all, "stats"] as const,
  services: () => [...adminKeys.all, "services"] as const,
  users: () => [...adminKeys.all, "users"] as const,
  userList: (filter: UserFilter) => [...adminKeys.users(), "list", filter] as const,
  user: (id: string) => [...adminKeys.users(), "detail", id] as const,
  requests: () => [...adminKeys.all, "requests"] as const,
  requestList: (filter: RequestFilter) => [...adminKeys.requests(), "list", filter] as const,
  comments: (id: string) => [...adminKeys.requests(), "comments", id] as const,
  downloads: () => [...adminKeys.all, "downloads"] as const,
  downloadList: (filter: DownloadFilter) => [...adminKeys.downloads(), "list", filter] as const,
  audit: (filter: AuditFilter) => [...adminKeys.all, "audit", filter] as const,
};

export function useAdminStats() {
  return useQuery({
    queryKey: adminKeys.stats(),
    queryFn: () => unwrap(api.GET("/api/v1/admin/stats")),
  });
}

export function useServiceStatus() {
  return useQuery({
    queryKey: adminKeys.services(),
    queryFn: () => unwrap(api.GET("/api/v1/dashboard/status")),
  });
}

export function useUsers(filter: UserFilter) {
  return useQuery({
    queryKey: adminKeys.userList(filter),
    queryFn: () => unwrap(api.GET("/api/v1/admin/users", { params: { query: filter } })),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: string) {
  return useQuery({
    queryKey: adminKeys.user(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/admin/users/{user_id}", { params: { path: { user_id: id } } })),
  });
}

function useInvalidating<TVariables, TResult>(
  mutationFn: (variables: TVariables) => Promise<TResult>,
  queryKey: readonly unknown[] = adminKeys.all,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey }),
  });
}

export function useCreateUser() {
  return useInvalidating((body: UserCreate) => unwrap(api.POST("/api/v1/admin/users", { body })));
}

export type RoleChange = { id: string; role: Role; confirmSelfDemotion?: boolean };

/** Changing your own role changes the session too (the shell hides the admin pages). */
export function useChangeRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role, confirmSelfDemotion = false }: RoleChange) =>
      unwrap(
        api.PATCH("/api/v1/admin/users/{user_id}/role", {
          params: { path: { user_id: id } },
          body: { role, confirmSelfDemotion },
        }),
      ),
    onSuccess: async (_user, change) => {
      if (change.confirmSelfDemotion) await queryClient.invalidateQueries({ queryKey: sessionKeys.all });
      await queryClient.invalidateQueries({ queryKey: adminKeys.all });
    },
  });
}

export function useRevokeSessions() {
  return useInvalidating((id: string) =>
    unwrap(
      api.POST("/api/v1/admin/users/{user_id}/revoke-sessions", {
        params: { path: { user_id: id } },
      }),
    ),
  );
}

export function useDeleteUser() {
  return useInvalidating((id: string) =>
    unwrap(api.DELETE("/api/v1/admin/users/{user_id}", { params: { path: { user_id: id } } })),
  );
}

export function useAdminRequests(filter: RequestFilter) {
  return useQuery({
    queryKey: adminKeys.requestList(filter),
    queryFn: () => unwrap(api.GET("/api/v1/admin/requests", { params: { query: filter } })),
    placeholderData: keepPreviousData,
  });
}

export function useApproveRequest() {
  return useInvalidating((id: string) =>
    unwrap(
      api.POST("/api/v1/admin/requests/{request_id}/approve", {
        params: { path: { request_id: id } },
      }),
    ),
  );
}

export function useDeclineRequest() {
  return useInvalidating(({ id, reason }: { id: string; reason: string }) =>
    unwrap(
      api.POST("/api/v1/admin/requests/{request_id}/decline", {
        params: { path: { request_id: id } },
        body: { reason },
      }),
    ),
  );
}

export function useComments(id: string) {
  return useQuery({
    queryKey: adminKeys.comments(id),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/media/requests/{request_id}/comments", {
          params: { path: { request_id: id } },
        }),
      ),
  });
}

export function useAddComment(id: string) {
  return useInvalidating(
    (body: string) =>
      unwrap(
        api.POST("/api/v1/media/requests/{request_id}/comments", {
          params: { path: { request_id: id } },
          body: { body },
        }),
      ),
    adminKeys.comments(id),
  );
}

export function useReconcile() {
  return useInvalidating(() => unwrap(api.POST("/api/v1/admin/requests/reconcile")));
}

export function useAllDownloads(filter: DownloadFilter) {
  return useQuery({
    queryKey: adminKeys.downloadList(filter),
    queryFn: () => unwrap(api.GET("/api/v1/youtube/downloads", { params: { query: filter } })),
    placeholderData: keepPreviousData,
  });
}

export function useCancelDownload() {
  return useInvalidating((id: string) =>
    unwrap(
      api.POST("/api/v1/youtube/downloads/{download_id}/cancel", {
        params: { path: { download_id: id } },
      }),
    ),
  );
}

export function useRetryDownload() {
  return useInvalidating((id: string) =>
    unwrap(
      api.POST("/api/v1/youtube/downloads/{download_id}/retry", {
        params: { path: { download_id: id } },
      }),
    ),
  );
}

export function useAuditTrail(filter: AuditFilter) {
  return useQuery({
    queryKey: adminKeys.audit(filter),
    queryFn: () => unwrap(api.GET("/api/v1/admin/audit-logs", { params: { query: filter } })),
  });
}

export function useBroadcast() {
  return useInvalidating((body: BroadcastCreate) =>
    unwrap(api.POST("/api/v1/admin/notifications", { body })),
  );
}
