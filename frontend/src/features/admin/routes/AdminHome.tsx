import { Redirect } from "wouter";

/** `/admin` opens the overview (its own address keeps the navbar's highlight exact). */
export function AdminHome() {
  return <Redirect to="/admin/overview" replace />;
}
