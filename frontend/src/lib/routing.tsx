// The browser's address for wouter, MediaNest's router. Pages import `Link`, `Redirect`,
// `useLocation` and `useParams` from "wouter", and `useSearchParams` from here (wouter's own
// decodes the query string once too often). Paths inside the app never carry the base path:
// `<AppRouter>` adds and strips the `BASE_PATH` the server writes into index.html (lib/base.ts).
import { parse } from "regexparam";
import {
  createContext,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import { Router, useLocation } from "wouter";

import { basePath } from "@/lib/base";

interface Place {
  /** As in `location`: the base path included, still URL-encoded. */
  readonly pathname: string;
  readonly search: string;
}

function here(): Place {
  return { pathname: window.location.pathname, search: window.location.search };
}

const PlaceContext = createContext<Place | null>(null);

const NAVIGATED = "medianest:navigated";

function navigate(to: string, options?: { replace?: boolean }): void {
  if (options?.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATED));
}

function usePlace(): Place {
  const place = useContext(PlaceContext);
  if (!place) throw new Error("routing hooks need an <AppRouter>");
  return place;
}

/** wouter's location hook: the path the pages render, and how to go elsewhere. */
function useAppLocation(): [string, typeof navigate] {
  return [usePlace().pathname, navigate];
}

function useAppSearch(): string {
  return usePlace().search;
}

/** The path inside the app (without the base path) that the address bar shows now. */
export function currentAppPath(
  base: string = basePath(),
  pathname: string = window.location.pathname,
): string {
  const inside = `${pathname.toLowerCase()}/`.startsWith(`${base.toLowerCase()}/`);
  return base && inside ? pathname.slice(base.length) || "/" : pathname;
}

/** Whether `pattern` (a route path: "/requests/:id", "*") matches the app path `path`. */
export function matchesPath(pattern: string, path: string): boolean {
  return parse(pattern).pattern.test(path);
}

/** The router under the base path. A new address renders in a transition (as React Router's
 * `<BrowserRouter>` did): the old page stays on screen until the next page's chunk arrives. */
export function AppRouter({ children }: { children: ReactNode }) {
  const [place, setPlace] = useState(here);
  const [base] = useState(basePath);
  useEffect(() => {
    const update = () => {
      const next = here();
      startTransition(() =>
        setPlace((previous) =>
          previous.pathname === next.pathname && previous.search === next.search ? previous : next,
        ),
      );
    };
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATED, update);
    update(); // a navigation between the first render and now
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return (
    <PlaceContext value={place}>
      <Router base={base} hook={useAppLocation} searchHook={useAppSearch} parser={parse}>
        {children}
      </Router>
    </PlaceContext>
  );
}

export type SetSearchParams = (
  next:
    | ConstructorParameters<typeof URLSearchParams>[0]
    | ((previous: URLSearchParams) => ConstructorParameters<typeof URLSearchParams>[0]),
  options?: { replace?: boolean },
) => void;

/** The query string as `URLSearchParams`, and a setter that navigates to the same page with a
 * new one (a history entry of its own unless `replace`). */
export function useSearchParams(): [URLSearchParams, SetSearchParams] {
  const { pathname, search } = usePlace();
  const [, go] = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const setParams = useCallback<SetSearchParams>(
    (next, options) => {
      const query = new URLSearchParams(
        typeof next === "function" ? next(new URLSearchParams(params)) : next,
      ).toString();
      // "~": the path as it is, the base path included.
      go(`~${pathname}${query ? `?${query}` : ""}`, options);
    },
    [go, params, pathname],
  );
  return [params, setParams];
}
