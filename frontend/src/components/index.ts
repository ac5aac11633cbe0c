export { ApiErrorAlert } from "@/components/ApiErrorAlert";
export { EmptyState } from "@/components/EmptyState";
export { LoadingState } from "@/components/LoadingState";
export { PageHeader } from "@/components/PageHeader";
export { QueryView } from "@/components/QueryView";
export { PosterCard } from "@/components/PosterCard";
export { StatusBadge, toStatus, type Status } from "@/components/StatusBadge";
export { adminOnly, ForbiddenPage, RequireAdmin } from "@/components/RequireAdmin";
export { AuthLayout } from "@/components/AuthLayout";
