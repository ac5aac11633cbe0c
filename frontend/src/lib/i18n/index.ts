// i18next with the shared `common` catalogue bundled (src/lib/i18n/en). Each feature adds its
// own namespace (features/<id>/i18n/en.json) through its FeatureModule as a loader, so a
// feature's strings download with its pages, not with the sign-in page.
import i18next, { type i18n as I18n } from "i18next";
import resourcesToBackend from "i18next-resources-to-backend";
import { initReactI18next } from "react-i18next";

import common from "@/lib/i18n/en/common.json";

export const DEFAULT_NAMESPACE = "common";

export type Catalogue = Record<string, unknown>;
/** A catalogue, or a function that imports it (`() => import("./i18n/en.json")`). */
export type CatalogueSource = Catalogue | (() => Promise<{ default: Catalogue }>);
/** Per namespace, per language. */
export type Catalogues = Record<string, Record<string, CatalogueSource>>;

function loadCatalogue(source: CatalogueSource | undefined): Promise<Catalogue> {
  if (source === undefined) return Promise.resolve({});
  if (typeof source === "function") return source().then((module) => module.default);
  return Promise.resolve(source);
}

/** Where each instance's backend finds its namespaces; `addCatalogues` adds more later. */
const sourcesOf = new WeakMap<I18n, Catalogues>();

/** Makes more namespaces loadable (`i18n.loadNamespaces`), e.g. the signed-in features'. */
export function addCatalogues(i18n: I18n, namespaces: Catalogues): void {
  Object.assign(sourcesOf.get(i18n) ?? {}, namespaces);
}

export function createI18n(namespaces: Catalogues = {}): I18n {
  const instance = i18next.createInstance();
  const sources: Catalogues = { ...namespaces };
  sourcesOf.set(instance, sources);
  const resources: Record<string, Record<string, Catalogue>> = { en: { common } };
  // Catalogues given as objects are there at once (tests); loaders run on first use.
  for (const [namespace, languages] of Object.entries(namespaces)) {
    for (const [language, source] of Object.entries(languages)) {
      if (typeof source !== "function") {
        resources[language] = { ...(resources[language] ?? {}), [namespace]: source };
      }
    }
  }
  void instance
    .use(
      resourcesToBackend((language: string, namespace: string) =>
        loadCatalogue(sources[namespace]?.[language]),
      ),
    )
    .use(initReactI18next)
    .init({
      resources,
      partialBundledLanguages: true,
      lng: "en",
      fallbackLng: "en",
      defaultNS: DEFAULT_NAMESPACE,
      ns: [DEFAULT_NAMESPACE, ...Object.keys(namespaces).filter((ns) => resources.en?.[ns])],
      interpolation: { escapeValue: false }, // React escapes
      initAsync: false,
    });
  return instance;
}
