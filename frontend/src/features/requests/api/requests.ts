// Query hooks of the requests feature: the user's requests, one request, its comments.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "@/lib/api/client";
import type { components } from "@/lib/api/schema";

export type MediaRequest = components["schemas"]["MediaRequestRead"];
export type MediaRequestDetail = components["schemas"]["MediaRequestDetailRead"];
export type RequestStatus = components["schemas"]["RequestStatus"];
export type StatusChange = components["schemas"]["StatusChangeRead"];
export type Comment = components["schemas"]["CommentRead"];

export const REQUEST_STATUSES: readonly RequestStatus[] = [
  "pending",
  "approved",
  "processing",
  "partially_available",
  "available",
  "declined",
  "failed",
];

export const PAGE_SIZE = 10;

export interface RequestFilter {
  status?: RequestStatus;
  page: number;
}

export const requestKeys = {
  all: ["requests"] as const,
  list: (filter: RequestFilter) => [...requestKeys.all, "list", filter] as const,
  detail: (id: string) => [...requestKeys.all, "detail", id] as const,
  comments: (id: string) => [...requestKeys.all, "comments", id] as const,
};

export function useRequests(filter: RequestFilter) {
  return useQuery({
    queryKey: requestKeys.list(filter),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/media/requests", {
          params: { query: { ...filter, limit: PAGE_SIZE } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useRequest(id: string) {
  return useQuery({
    queryKey: requestKeys.detail(id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/media/requests/{request_id}", { params: { path: { request_id: id } } })),
  });
}

export function useComments(id: string) {
  return useQuery({
    queryKey: requestKeys.comments(id),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/media/requests/{request_id}/comments", {
          params: { path: { request_id: id } },
        }),
      ),
  });
}

export function useAddComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.POST("/api/v1/media/requests/{request_id}/comments", {
          params: { path: { request_id: id } },
          body: { body },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: requestKeys.comments(id) }),
  });
}

export function useCancelRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const { error, response } = await api.DELETE("/api/v1/media/requests/{request_id}", {
        params: { path: { request_id: id } },
      });
      if (!response.ok) await unwrap(Promise.resolve({ error, response }));
    },
    // Only the lists: the request's own page is still mounted and would refetch into a 404
    // (removing its queries would too); the page leaves for the list instead.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...requestKeys.all, "list"] }),
  });
}
