import { createTheme, localStorageColorSchemeManager } from "@mantine/core";

/** Mantine's system font stack: nothing is fetched from the internet. */
export const theme = createTheme({
  primaryColor: "violet",
  defaultRadius: "md",
  cursorType: "pointer",
  headings: { fontWeight: "700" },
});

export const colorSchemeManager = localStorageColorSchemeManager({
  key: "medianest-color-scheme",
});
