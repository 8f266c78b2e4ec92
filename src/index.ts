/**
 * Tutti's public API. Everything exported here runs without Node (no file system, no workers):
 * strings, bytes and plain objects in and out. File and folder handling live in `tutti/node`
 * (`src/node/`) and in the CLI.
 */
export * from "./model/fraction.js";
export * from "./model/pitch.js";
export type * from "./model/score.js";
export { DYNAMICS, DYNAMIC_VELOCITY } from "./model/score.js";
export * from "./model/durations.js";
export * from "./model/time.js";
export * from "./model/timeline.js";
export * from "./model/notes.js";
export { TuttiError, type ErrorCode } from "./model/errors.js";
export { readScore, readScoreWithReport, detectFormat, type InputFormat, type ReadReport } from "./read/index.js";
export { READ_LIMITS } from "./read/limits.js";
export { readMusicXml, readMusicXmlWithReport, type MusicXmlReadReport } from "./read/musicxml/index.js";
export { unpackMxl } from "./read/mxl.js";
export { writeScore, formatOfName, type OutputFormat } from "./write/index.js";
export { writeMusicXml, type WriteOptions } from "./write/musicxml.js";
export { packMxl } from "./write/mxl.js";
export * from "./instruments/index.js";
export { ensembleSchema, instrumentSchema, parseEnsemble, parseInstrument, databaseFromFiles } from "./instruments/validate.js";
export { loadEnsemble } from "./instruments/load-ensemble.js";
export * from "./model/notation.js";
export { renderSvg, renderSvgPages, setMeasureCanvas, type RenderOptions, type PageSize, type MeasureCanvas, type SvgPages } from "./render/index.js";
export { readMidi, readMidiWithReport, type MidiReadReport, type MidiReadResult } from "./read/midi.js";
export { makeQuantiser, type Quantiser } from "./read/quantise.js";
export { estimateKey, spellMidi, tonicOf, type KeyEstimate } from "./read/spelling.js";
export { writeMidi, type MidiWriteOptions } from "./write/midi.js";
export {
  analyse,
  analysisJson,
  voicesScore,
  mainRole,
  separateVoices,
  separateNotes,
  sketchNotes,
  reduceToPiano,
  pianoView,
  realiseChordSymbols,
  chordIntervals,
  type Realisation,
  scoreSeparation,
  scoreExplode,
  findPhrases,
  assignRoles,
  type Analysis,
  type GraceNote,
  type Line,
  type LineNote,
  type LineRole,
  type Phrase,
  type Role,
  type SeparateOptions,
  type SketchNote,
  type Reduction,
  type ReducedNote,
  type SeparationScore,
} from "./analyse/index.js";
export {
  arrange,
  arrangeAnalysed,
  arrangeSketch,
  summarise,
  checkScore,
  instrumentOfPart,
  type Arrangement,
  type ArrangeOptions,
  type Report,
  type PhraseReport,
  type Style,
  type Finding,
  type Severity,
  type CheckOptions,
} from "./orchestrate/index.js";
export { fidelity, audit, type Audit } from "./orchestrate/fidelity.js";
export { buildMeasures, framesOf, splitSpan, splitRests, beatUnit, type MeasureFrame, type PlacedEvent, type PlacedDirection, type EventMarks, type BuildOptions } from "./model/build.js";
