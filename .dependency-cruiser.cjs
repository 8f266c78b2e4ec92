/**
 * The architecture of src/, checked by `npm run lint:deps` (dependency-cruiser).
 *
 * Layers, from the bottom:
 *   util/, model/           generic helpers (util imports nothing of src) and the score model
 *   xml/                    the XML tree (model, util)
 *   instruments/            the instrument database (the layers below)
 *   read/ → analyse/ → orchestrate/ → write/, render/
 *                           the pipeline stages: each may import the layers below and the stages
 *                           before it, never a later one; write and render are independent
 *   index.ts                the public API (all of the core)
 *   node/                   Node-only wrappers (file system, canvas…): the core, never cli/
 *   cli/                    the command line, at the top
 * The core (all of src/ but node/ and cli/) runs in a browser: no Node built-in, no Node-only
 * package, nothing from node/ or cli/. No circular imports in src/, type-only imports included.
 * src/ imports nothing from test/ or scripts/, nor any devDependency; test/ nothing from scripts/.
 * Every import resolves, and every package imported is in package.json.
 */

/** The core: everything in src/ but the Node wrappers and the command line. */
const CORE = "^src/(?!node/|cli/)";
/** The layers every stage may build on. */
const BASE = "util|model|xml|instruments";

/** A pipeline stage may import the layers below it and the stages before it, and nothing else of src/. */
const stage = (name, earlier) => ({
  name: `layer-${name}`,
  comment: `${name}/ is a pipeline stage: it may import ${BASE.split("|").join(", ")}${earlier.length ? `, ${earlier.join(", ")}` : ""} and itself, no later stage, nor index.ts, node/ or cli/.`,
  severity: "error",
  from: { path: `^src/${name}/` },
  to: { path: "^src/", pathNot: `^src/(${[BASE, name, ...earlier].join("|")})/` },
});

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "No module of src/ may depend on itself through others (type-only and dynamic imports count).",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "layer-util",
      comment: "util/ holds generic helpers: it imports nothing of src/ outside itself.",
      severity: "error",
      from: { path: "^src/util/" },
      to: { path: "^src/", pathNot: "^src/util/" },
    },
    {
      name: "layer-model",
      comment: "model/ is the bottom layer: it may import util/ and itself only.",
      severity: "error",
      from: { path: "^src/model/" },
      to: { path: "^src/", pathNot: "^src/(model|util)/" },
    },
    {
      name: "layer-xml",
      comment: "xml/ may import model/, util/ and itself only.",
      severity: "error",
      from: { path: "^src/xml/" },
      to: { path: "^src/", pathNot: "^src/(xml|model|util)/" },
    },
    {
      name: "layer-instruments",
      comment: "instruments/ may import model/, util/, xml/ and itself only.",
      severity: "error",
      from: { path: "^src/instruments/" },
      to: { path: "^src/", pathNot: "^src/(instruments|xml|model|util)/" },
    },
    stage("read", []),
    stage("analyse", ["read"]),
    stage("orchestrate", ["read", "analyse"]),
    stage("write", ["read", "analyse", "orchestrate"]),
    stage("render", ["read", "analyse", "orchestrate"]),
    {
      name: "layer-index",
      comment: "src/index.ts is the public API of the core: it may not import node/ or cli/.",
      severity: "error",
      from: { path: "^src/index\\.ts$" },
      to: { path: "^src/(node|cli)/" },
    },
    {
      name: "layer-node",
      comment: "node/ wraps the core for Node: it may not import cli/.",
      severity: "error",
      from: { path: "^src/node/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "core-not-node-builtins",
      comment: "The core runs in a browser: no Node built-in (node:fs, path, worker_threads…); that belongs in node/ or cli/.",
      severity: "error",
      from: { path: CORE },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "core-not-node-packages",
      comment: "The core runs in a browser: no Node-only package (a native canvas, the command-line parser, file globbing).",
      severity: "error",
      from: { path: CORE },
      to: { path: "node_modules/(@napi-rs/canvas|commander|tinyglobby)/" },
    },
    {
      name: "src-not-dev-dependencies",
      comment: "What src/ imports, types included, must be a dependency, not a devDependency: users install only the dependencies.",
      severity: "error",
      from: { path: "^src/" },
      to: { dependencyTypes: ["npm-dev"] },
    },
    {
      name: "src-not-test-or-scripts",
      comment: "src/ imports nothing from test/ or scripts/.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^(test|scripts)/" },
    },
    {
      name: "test-not-scripts",
      comment: "test/ imports nothing from scripts/ (shared code lives in test/support/, which scripts may import).",
      severity: "error",
      from: { path: "^test/" },
      to: { path: "^scripts/" },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import resolves to a file or an installed package.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: "no-non-package-json",
      comment: "Every package imported is declared in package.json.",
      severity: "error",
      from: {},
      to: { dependencyTypes: ["npm-no-pkg", "npm-unknown"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports are dependencies too: a circle through `import type` is still a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Packages resolve through their "exports" maps, as Node and TypeScript resolve them (vexflow/core).
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
    skipAnalysisNotInRules: true,
  },
};
