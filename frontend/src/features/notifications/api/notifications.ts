import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";
import { useRealtimeEvent } from "@/lib/socket/react";

export type Notification = components["schemas"]["NotificationRead"];
export type NotificationEvent = { type: string; title: string; message: string; timestamp: string };

export interface NotificationFilter {
  page: number;
  limit: number;
  unread?: boolean;
}

export const notificationKeys = {
  all: ["notifications"] as const,
  list: (filter: NotificationFilter) => [...notificationKeys.all, "list", filter] as const,
};

/** A page of the user's notifications (newest first) with the unread count. */
export function useNotifications(filter: NotificationFilter, enabled = true) {
  return useQuery({
    queryKey: notificationKeys.list(filter),
    queryFn: () =>
      unwrap(api.GET("/api/v1/dashboard/notifications", { params: { query: filter } })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useInvalidatingMutation<T>(mutationFn: (arg: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkRead() {
  return useInvalidatingMutation((id: string) =>
    unwrap(
      api.POST("/api/v1/dashboard/notifications/{notification_id}/read", {
        params: { path: { notification_id: id } },
      }),
    ),
  );
}

export function useMarkAllRead() {
  return useInvalidatingMutation(() =>
    unwrap(api.POST("/api/v1/dashboard/notifications/read-all")),
  );
}

export function useDeleteNotification() {
  return useInvalidatingMutation((id: string) =>
    unwrap(
      api.DELETE("/api/v1/dashboard/notifications/{notification_id}", {
        params: { path: { notification_id: id } },
      }),
    ),
  );
}

/** Refetches notifications when one arrives: to this user on `/authenticated`, to everyone
 * on `/system`. `onEvent` lets the caller announce it. Each time `/system` (re)connects they
 * are refetched too: one sent before the socket joined is not missed. */
export function useLiveNotifications(onEvent?: (event: NotificationEvent) => void): void {
  const queryClient = useQueryClient();
  const refetch = () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
  const handle = (event: NotificationEvent) => {
    refetch();
    onEvent?.(event);
  };
  useRealtimeEvent<NotificationEvent>("system:notification", handle);
  useRealtimeEvent<NotificationEvent>("system:notification", handle, "/system");
  useRealtimeEvent("connect", refetch, "/system");
}
