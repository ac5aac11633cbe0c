// Query keys of the system console: data, hierarchical, one root for the whole feature.
export interface AuditFilter {
  actorId?: string;
  action?: string;
  since?: string;
  until?: string;
  page: number;
}

export interface ErrorFilter {
  source?: "client" | "server";
  page: number;
}

export const systemKeys = {
  all: ["admin-system"] as const,
  settings: () => [...systemKeys.all, "settings"] as const,
  services: () => [...systemKeys.all, "services"] as const,
  serviceHistory: (name: string) => [...systemKeys.services(), "history", name] as const,
  audit: (filter: AuditFilter) => [...systemKeys.all, "audit", filter] as const,
  auditActors: () => [...systemKeys.all, "audit-actors"] as const,
  errors: (filter: ErrorFilter) => [...systemKeys.all, "errors", filter] as const,
  performance: () => [...systemKeys.all, "performance"] as const,
  metrics: (window: string) => [...systemKeys.performance(), "metrics", window] as const,
  database: () => [...systemKeys.performance(), "database"] as const,
  recommendations: () => [...systemKeys.performance(), "recommendations"] as const,
};
