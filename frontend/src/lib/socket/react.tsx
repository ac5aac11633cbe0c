// React bindings of the realtime client: a provider, an event hook and the connection state.
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import {
  createContext,
  useContext,
  useEffect,
  useRef,
  useSyncExternalStore,
  type ReactNode,
} from "react";

import type { ConnectionState, Namespace, RealtimeClient } from "@/lib/socket/client";

const RealtimeContext = createContext<RealtimeClient | null>(null);

export function RealtimeProvider({
  client,
  children,
}: {
  client: RealtimeClient | null;
  children: ReactNode;
}) {
  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>;
}

export function useRealtimeClient(): RealtimeClient | null {
  return useContext(RealtimeContext);
}

/** Runs `handler` for each `event` on `namespace` while the component is mounted.
 * `T` is the payload shape documented in docs/reference/realtime.md (not validated). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- caller-declared payload
export function useRealtimeEvent<T = unknown>(
  event: string,
  handler: (payload: T) => void,
  namespace: Namespace = "/authenticated",
): void {
  const client = useRealtimeClient();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    if (!client) return undefined;
    return client.on(namespace, event, (payload) => latest.current(payload as T));
  }, [client, event, namespace]);
}

/** Invalidates the queries under `queryKey` whenever `event` arrives. */
export function useInvalidateOnEvent(
  event: string,
  queryKey: QueryKey,
  namespace: Namespace = "/authenticated",
): void {
  const queryClient = useQueryClient();
  useRealtimeEvent(event, () => void queryClient.invalidateQueries({ queryKey }), namespace);
}

export function useConnectionState(): ConnectionState {
  const client = useRealtimeClient();
  return useSyncExternalStore(
    (notify) => client?.onStateChange(notify) ?? (() => undefined),
    () => client?.connectionState ?? "connected",
  );
}
