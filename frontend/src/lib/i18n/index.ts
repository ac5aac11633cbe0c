// i18next with the English catalogue bundled. `common` holds shared strings (src/lib/i18n/en);
// each feature adds its own namespace (features/<id>/i18n/en.json) through its FeatureModule.
import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";

import common from "@/lib/i18n/en/common.json";

export const DEFAULT_NAMESPACE = "common";

export function createI18n(
  namespaces: Record<string, Record<string, Record<string, unknown>>> = {},
): I18n {
  const instance = i18next.createInstance();
  const resources: Record<string, Record<string, Record<string, unknown>>> = {
    en: { common },
  };
  for (const [namespace, languages] of Object.entries(namespaces)) {
    for (const [language, strings] of Object.entries(languages)) {
      resources[language] = { ...(resources[language] ?? {}), [namespace]: strings };
    }
  }
  void instance.use(initReactI18next).init({
    resources,
    lng: "en",
    fallbackLng: "en",
    defaultNS: DEFAULT_NAMESPACE,
    ns: [DEFAULT_NAMESPACE, ...Object.keys(namespaces)],
    interpolation: { escapeValue: false }, // React escapes
    initAsync: false,
  });
  return instance;
}
