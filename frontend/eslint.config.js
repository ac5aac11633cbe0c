// The one-way import rule of STYLE.md, enforced: app -> features -> components/lib.
// A feature never imports another feature (nor app); components and lib import no feature.
import { readdirSync } from "node:fs";

import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const features = readdirSync(new URL("./src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const crossFeatureZones = features.map((feature) => ({
  target: `./src/features/${feature}`,
  from: "./src/features",
  except: [`./${feature}`],
  message: "A feature must not import another feature; move shared code to components/ or lib/.",
}));

export default tseslint.config(
  { ignores: ["dist", "node_modules", "src/lib/api/schema.d.ts", "scripts", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "react-hooks": reactHooks, "import-x": importX },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "./tsconfig.json" })],
    },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-confusing-void-expression": "off",
      "@typescript-eslint/no-unnecessary-condition": "off",
      "import-x/no-cycle": "error",
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            ...crossFeatureZones,
            {
              target: "./src/features",
              from: "./src/app",
              message: "Features must not import the app layer.",
            },
            {
              target: ["./src/components", "./src/lib", "./src/testing"],
              from: ["./src/features", "./src/app"],
              message: "components/, lib/ and testing/ are shared: they import no feature or app code.",
            },
            {
              target: "./src/lib",
              from: "./src/components",
              message: "lib/ holds no UI: it must not import components/.",
            },
          ],
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "wouter",
              importNames: ["useSearch", "useSearchParams", "navigate"],
              message: "Use useSearchParams from @/lib/routing (wouter's decodes the query twice), useLocation() to navigate.",
            },
          ],
          patterns: [
            {
              group: ["../*", "./*"],
              message: "Import with the @/ alias so the layer rules can see where code comes from.",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='fetch']",
          message: "Call the API through `api` + `unwrap` from @/lib/api/client.",
        },
      ],
    },
  },
  {
    files: ["src/lib/api/http.ts", "src/app/shell/RealtimeConnection.tsx", "**/*.test.ts", "**/*.test.tsx"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["*.config.{js,ts}"],
    languageOptions: { globals: globals.node },
    rules: { "no-restricted-imports": "off" },
  },
);
