/**
 * `tutti/node`: what only Node can do — files, the instrument folder on disk, fonts and a canvas
 * for engraving. The core (`tutti`) takes and returns bytes, strings and plain objects.
 */
export { readScoreFile, readScoreFileWithReport, writeFilesAtomically, stemOf } from "./files.js";
export { loadDatabase, loadEnsembleSpec, defaultInstrumentsDir } from "./instruments.js";
export { setupNodeRendering, renderScoreSvg, renderScorePages, renderFiles, pageFileNames } from "./render.js";
