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

/** Refusals that retrying cannot mend: no credentials, or not an admin. */
const FINAL_REFUSALS = new Set(["UNAUTHORIZED", "FORBIDDEN"]);
const RETRY_DELAY_MS = 1_000;
const RETRY_DELAY_MAX_MS = 10_000;

export class RealtimeClient {
  private readonly manager: Manager;
  private readonly sockets = new Map<Namespace, Socket>();
  private readonly watched = new WeakSet<Socket>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = "connecting";
  private everConnected = false;
  private closed = false;

  constructor(private readonly options: RealtimeOptions) {
    const url = new URL(options.baseUrl);
    this.manager = new Manager(url.origin, {
      path: `${url.pathname.replace(/\/$/, "")}/socket.io`,
      withCredentials: true,
      reconnection: true,
      reconnectionDelay: RETRY_DELAY_MS,
      reconnectionDelayMax: RETRY_DELAY_MAX_MS,
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
    this.closed = true;
    for (const socket of this.sockets.values()) socket.disconnect();
  }

  private socket(namespace: Namespace): Socket {
    this.closed = false;
    const socket = this.sockets.get(namespace) ?? this.manager.socket(namespace);
    this.sockets.set(namespace, socket);
    if (!this.watched.has(socket)) {
      this.watched.add(socket);
      this.watch(socket);
    }
    // `active` from the first connect() on: asking again while it connects would send a
    // second CONNECT for the namespace, which the server answers by dropping the connection.
    if (!socket.active) socket.connect();
    return socket;
  }

  private watch(socket: Socket): void {
    let refusals = 0;
    socket.on("connect", () => {
      refusals = 0;
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
      const code = error.data?.code;
      // Retrying cannot mend these; the pages that need the namespace say why themselves.
      if (code !== undefined && FINAL_REFUSALS.has(code)) return;
      this.setState(this.everConnected ? "reconnecting" : "connecting");
      // An active socket retries by itself (the transport failed); one the server refused
      // stays down until connect() is called again.
      if (socket.active) return;
      if (code === "JWT_INVALID") {
        void this.options.refreshSession().then((renewed) => {
          if (renewed) socket.connect();
          else this.options.onSessionEnded?.();
        });
      } else {
        // A passing failure on the server (starting, database busy): try again, backing off.
        refusals += 1;
        setTimeout(() => {
          if (!this.closed) socket.connect();
        }, retryDelay(refusals));
      }
    });
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/** Doubling from one second up to ten, with up to half of it added at random so that many
 * pages do not come back at the same instant. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_DELAY_MS * 2 ** (attempt - 1), RETRY_DELAY_MAX_MS);
  return base + base * 0.5 * random();
}
