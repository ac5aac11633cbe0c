import {
  createTheme,
  localStorageColorSchemeManager,
  type CSSVariablesResolver,
} from "@mantine/core";

/** Mantine's system font stack: nothing is fetched from the internet. */
export const theme = createTheme({
  primaryColor: "violet",
  primaryShade: { light: 7, dark: 7 },
  defaultRadius: "md",
  cursorType: "pointer",
  headings: { fontWeight: "700" },
  components: {
    // Links inside text must not rely on colour alone (WCAG 1.4.1, axe link-in-text-block).
    Anchor: { defaultProps: { underline: "always" } },
  },
});

/** Dimmed text a shade brighter than Mantine's default, for WCAG AA contrast on cards. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { "--mantine-color-dimmed": "var(--mantine-color-gray-7)" },
  dark: { "--mantine-color-dimmed": "var(--mantine-color-dark-1)" },
});

export const colorSchemeManager = localStorageColorSchemeManager({
  key: "medianest-color-scheme",
});
