import { describe, expect, it, vi } from "vitest";

import { RealtimeClient, retryDelay } from "@/lib/socket/client";

type Listener = (...args: unknown[]) => void;

/** Just enough of socket.io-client's Socket: connect() makes it active until it connects or
 * the server refuses it, as the real one does. */
class FakeSocket {
  connects = 0;
  active = false;
  connected = false;
  private readonly listeners = new Map<string, Listener[]>();

  get disconnected(): boolean {
    return !this.connected;
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  off(): this {
    return this;
  }

  connect(): this {
    this.connects += 1;
    this.active = true;
    return this;
  }

  disconnect(): this {
    this.active = false;
    this.connected = false;
    return this;
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  refuse(code: string): void {
    this.active = false;
    this.emit("connect_error", Object.assign(new Error("refused"), { data: { code } }));
  }
}

const sockets = new Map<string, FakeSocket>();

vi.mock("socket.io-client", () => ({
  Manager: class {
    socket(namespace: string) {
      const socket = sockets.get(namespace) ?? new FakeSocket();
      sockets.set(namespace, socket);
      return socket;
    }
  },
}));

function socketOf(namespace: string): FakeSocket {
  const socket = sockets.get(namespace);
  if (socket === undefined) throw new Error(`${namespace} was never opened`);
  return socket;
}

function client() {
  sockets.clear();
  return new RealtimeClient({ baseUrl: "http://medianest.test", refreshSession: () => Promise.resolve(true) });
}

describe("RealtimeClient", () => {
  it("connects a namespace once however many handlers subscribe while it connects", () => {
    const realtime = client();
    realtime.open("/system");
    realtime.on("/system", "service:status", () => {});
    realtime.on("/system", "system:notification", () => {});
    expect(sockets.get("/system")?.connects).toBe(1);
  });

  it("tries again after the server refused with a passing error", () => {
    vi.useFakeTimers();
    try {
      const realtime = client();
      const states: string[] = [];
      realtime.onStateChange((state) => states.push(state));
      realtime.open("/authenticated");
      const socket = socketOf("/authenticated");
      socket.refuse("SERVICE_UNAVAILABLE");
      expect(socket.connects).toBe(1);
      vi.advanceTimersByTime(1_600);
      expect(socket.connects).toBe(2);
      expect(states).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("does not retry what retrying cannot mend, nor after it was closed", () => {
    vi.useFakeTimers();
    try {
      const realtime = client();
      realtime.open("/admin");
      realtime.open("/authenticated");
      socketOf("/admin").refuse("FORBIDDEN");
      socketOf("/authenticated").refuse("DATABASE_ERROR");
      realtime.close();
      vi.advanceTimersByTime(60_000);
      expect(sockets.get("/admin")?.connects).toBe(1);
      expect(sockets.get("/authenticated")?.connects).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("retryDelay", () => {
  it("doubles from one second and stops growing at ten", () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((attempt) => retryDelay(attempt, none))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  it("adds up to half of the delay at random", () => {
    expect(retryDelay(2, () => 1)).toBe(3_000);
    expect(retryDelay(9, () => 0.5)).toBe(12_500);
  });
});
