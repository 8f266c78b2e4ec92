/**
 * A tiny static server for the page on localhost (no dependencies). It serves examples/web/
 * and nothing above it.
 *
 *   npm run web               # builds the page, then serves it at http://localhost:8080/
 *   PORT=9000 npm run web
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** @type {Readonly<Record<string, string>>} */
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".otf": "font/otf",
  ".svg": "image/svg+xml",
};

/**
 * Serves `root` on `host:port` (port 0: any free one); resolves once listening.
 * @param {string} root
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serve(root, { port = 0, host = "127.0.0.1" } = {}) {
  const base = normalize(root.endsWith(sep) ? root : root + sep);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
      const file = normalize(join(base, path.endsWith("/") ? `${path}index.html` : path));
      if (!file.startsWith(base) || !(await stat(file)).isFile()) throw new Error("not a file");
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found\n");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const shown = host === "127.0.0.1" ? "localhost" : host;
      resolve({
        url: `http://${shown}:${typeof address === "object" && address ? address.port : port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL(".", import.meta.url));
  const { url } = await serve(root, { port: Number(process.env.PORT ?? 8080) });
  console.log(`Tutti in the browser: ${url}  (Ctrl-C to stop)`);
}
