import { Navigate } from "react-router";

/** `/admin` opens the overview (its own address keeps the navbar's highlight exact). */
export function AdminHome() {
  return <Navigate to="/admin/overview" replace />;
}
