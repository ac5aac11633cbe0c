import { Redirect } from "wouter";

/** `/downloads/:id`, where download notifications led before they led to the queue: there. */
export function OldDownloadLink() {
  return <Redirect to="/youtube" replace />;
}
