/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Relative asset URLs: the server injects `<base href>` so one build works under any BASE_PATH.
// Output goes into the Python package, which serves it (src/medianest/web).
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: "../src/medianest/web/dist",
    emptyOutDir: true,
    // seed 002: Chrome/Edge 90+, Firefox 88+, Safari 14+
    target: ["chrome90", "edge90", "firefox88", "safari14"],
    chunkSizeWarningLimit: 600,
    reportCompressedSize: true,
    manifest: true,
  },
  server: {
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/socket.io": { target: "http://127.0.0.1:8000", ws: true },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/testing/setup.ts"],
    css: false,
  },
});
