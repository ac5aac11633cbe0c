// The realtime connection: one socket.io Manager, one socket per namespace, signed in by the
// session cookie. Reconnects with back-off; after a drop the app refetches what may have
// changed (onReconnect). Event names and payloads: docs/reference/realtime.md.
import { Manager, type Socket } from "socket.io-client";

export type Namespace = "/authenticated" | "/system" | "/admin";
export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

export interface RealtimeOptions {
  /** Origin + base path, e.g. `https://host/medianest`. */
  baseUrl: string;
  /** Renews the access cookie when the socket is refused with JWT_INVALID. */
  refreshSession: () => Promise<boolean>;
  /** Called after a reconnection (not the first connection). */
  onReconnect?: () => void;
  /** Called when the server ends the session's connections (signed out elsewhere). */
  onSessionEnded?: () => void;
}

type Handler = (payload: unknown) => void;

export class RealtimeClient {
  private readonly manager: Manager;
  private readonly sockets = new Map<Namespace, Socket>();
  private readonly watched = new WeakSet<Socket>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = "connecting";
  private everConnected = false;

  constructor(private readonly options: RealtimeOptions) {
    const url = new URL(options.baseUrl);
    this.manager = new Manager(url.origin, {
      path: `${url.pathname.replace(/\/$/, "")}/socket.io`,
      withCredentials: true,
      reconnection: true,
      reconnectionDelay: 1_000,
      reconnectionDelayMax: 30_000,
      randomizationFactor: 0.5,
      autoConnect: false,
    });
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Joins a namespace now (events subscribe lazily otherwise). */
  open(namespace: Namespace): void {
    this.socket(namespace);
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on(namespace: Namespace, event: string, handler: Handler): () => void {
    const socket = this.socket(namespace);
    socket.on(event, handler);
    return () => {
      socket.off(event, handler);
    };
  }

  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Disconnects every namespace; `open` or `on` connects again. */
  close(): void {
    for (const socket of this.sockets.values()) socket.disconnect();
  }

  private socket(namespace: Namespace): Socket {
    const socket = this.sockets.get(namespace) ?? this.manager.socket(namespace);
    this.sockets.set(namespace, socket);
    if (!this.watched.has(socket)) {
      this.watched.add(socket);
      this.watch(socket);
    }
    if (socket.disconnected) socket.connect();
    return socket;
  }

  private watch(socket: Socket): void {
    socket.on("connect", () => {
      const reconnected = this.everConnected && this.state !== "connected";
      this.everConnected = true;
      this.setState("connected");
      if (reconnected) this.options.onReconnect?.();
    });
    socket.on("disconnect", (reason) => {
      if (reason === "io server disconnect") {
        // The server ended this session's connections: the session is over.
        this.setState("offline");
        this.options.onSessionEnded?.();
        return;
      }
      if (reason !== "io client disconnect") this.setState("reconnecting");
    });
    socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
      this.setState(this.everConnected ? "reconnecting" : "connecting");
      if (error.data?.code === "JWT_INVALID") {
        void this.options.refreshSession().then((renewed) => {
          if (renewed) socket.connect();
          else this.options.onSessionEnded?.();
        });
      }
    });
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}
