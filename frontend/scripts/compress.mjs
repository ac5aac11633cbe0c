// After `vite build`: a .br and a .gz next to each text asset, so the server sends them
// precompressed (best compression, once per build, none per request).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const ASSETS = new URL("../../src/medianest/web/dist/assets/", import.meta.url).pathname;
const TEXT = /\.(js|css|svg|json)$/;

for (const name of readdirSync(ASSETS)) {
  if (!TEXT.test(name)) continue;
  const path = join(ASSETS, name);
  const body = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
}
