// Where MediaNest is served. The server writes `<meta name="medianest-base">` into index.html
// (BASE_PATH, "" at the root), so one build works under any prefix.

export function basePath(doc: Document = document): string {
  const meta = doc.querySelector<HTMLMetaElement>('meta[name="medianest-base"]');
  return (meta?.content ?? "").replace(/\/+$/, "");
}

/** Absolute origin + base path: the base URL of API calls and the socket. */
export function serverBaseUrl(doc: Document = document): string {
  return `${window.location.origin}${basePath(doc)}`;
}
