/**
 * Bundles the page with esbuild into examples/web/dist/: main.js (the page), worker.js (Tutti's
 * core: read, arrange, write, engrave) and the engraving fonts the worker loads.
 *
 *   npm run build:web        # then: npm run web
 */
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const WEB_ROOT = fileURLToPath(new URL(".", import.meta.url));
export const WEB_DIST = fileURLToPath(new URL("dist/", import.meta.url));

/**
 * Builds the page; resolves to esbuild's result (with its metafile).
 * @param {{ outdir?: string, minify?: boolean, logLevel?: import("esbuild").LogLevel }} [options]
 */
export async function buildWeb({ outdir = WEB_DIST, minify = true, logLevel = "warning" } = {}) {
  await rm(outdir, { recursive: true, force: true });
  return build({
    entryPoints: { main: `${WEB_ROOT}main.ts`, worker: `${WEB_ROOT}worker.ts` },
    outdir,
    bundle: true,
    platform: "browser",
    // Classic scripts (not modules) for both, so the worker starts in every browser that has one.
    format: "iife",
    target: ["chrome100", "firefox110", "safari16"],
    loader: { ".otf": "file" },
    assetNames: "fonts/[name]-[hash]",
    minify,
    sourcemap: true,
    metafile: true,
    logLevel,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const result = await buildWeb({ logLevel: "info" });
  const bytes = Object.entries(result.metafile.outputs).filter(([f]) => !f.endsWith(".map")).reduce((n, [, o]) => n + o.bytes, 0);
  console.log(`examples/web/dist: ${(bytes / 1e6).toFixed(1)} MB in ${Date.now() - started} ms`);
}
