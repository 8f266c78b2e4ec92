/**
 * MusicXML writer: the score model as score-partwise 4.0 text.
 *
 * What a notation program needs to draw, not guess: `<divisions>` computed from the durations
 * (least common multiple), `<type>`, `<dot>` and `<time-modification>` for every note,
 * `<accidental>` wherever one is shown, `<beam>` by beat, ties as `<tie>` and `<tied>`, and
 * transposing parts in written pitch with `<transpose>`. Same score in, same bytes out.
 */
import { add, cmp, eq, type Fraction, frac, gt, lcm, le, lt, mul, sub, ZERO } from "../model/fraction.js";
import { type Pitch, transpose } from "../model/pitch.js";
import {
  type Accidental,
  type Attributes,
  type Barline,
  type Beam,
  type Clef,
  type Direction,
  type DirectionItem,
  type Event,
  type Harmony,
  JUMPS,
  type KeySignature,
  type Mark,
  type Measure,
  type MidAttributes,
  type NoteEvent,
  type Part,
  type PartGroup,
  type Score,
  type StaffClef,
  type TimeSignature,
  type Transposition,
  type TupletMark,
} from "../model/score.js";
import { transposeHarmony } from "../model/harmony.js";
import { accidentalsOf, beamsOf, isIdentityTransposition, valueOf, voicesOf, writtenShift } from "../model/notation.js";
import { tupletMarksOf } from "../model/tuplets.js";
import { utf8Bytes } from "../model/bytes.js";
import { childrenText, elementPieces, x, type XmlOut } from "../xml/serialize.js";

export interface WriteOptions {
  /** Name written as the encoding software. */
  readonly software?: string;
  /** Page size the staff size is chosen for (default A4). */
  readonly page?: "a4" | "letter";
}

const PAGES = { a4: { width: 210, height: 297 }, letter: { width: 215.9, height: 279.4 } } as const;

/**
 * Page size and a staff size at which one system of every staff fits on the page: notation
 * programs lay out nothing at all when a system is taller than the page (MuseScore 3 leaves the
 * pages blank). A staff with the gap below it takes about 2.6 staff heights (MuseScore's default
 * gap is 6.5 spaces under a 4-space staff), a little more where ledger lines and dynamics push the
 * staves apart, so 2.8; the first page gives room to the title.
 */
function writeDefaults(score: Score, options: WriteOptions): XmlOut {
  const page = PAGES[options.page ?? "a4"];
  const staves = score.parts.reduce((n, p) => n + p.staves, 0);
  const usable = page.height - 80;
  const mm = Math.min(7, Math.max(2.5, Math.floor((usable / (2.8 * Math.max(1, staves))) * 10) / 10));
  const tenths = (x: number): number => Math.round((x * 40) / mm);
  const margin = tenths(15);
  return x(
    "defaults",
    {},
    x("scaling", {}, x("millimeters", {}, mm), x("tenths", {}, 40)),
    x(
      "page-layout",
      {},
      x("page-height", {}, tenths(page.height)),
      x("page-width", {}, tenths(page.width)),
      x("page-margins", { type: "both" }, x("left-margin", {}, margin), x("right-margin", {}, margin), x("top-margin", {}, margin), x("bottom-margin", {}, margin)),
    ),
  );
}

const PROLOG =
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' +
  '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n';

/**
 * Writes a score as MusicXML 4.0 (score-partwise).
 * @example writeMusicXml(score).startsWith("<?xml") // true
 */
export function writeMusicXml(score: Score, options: WriteOptions = {}): string {
  const out: string[] = [];
  writePieces(score, options, (text) => out.push(text));
  return out.join("");
}

/**
 * Writes a score as MusicXML 4.0, as UTF-8 bytes: `writeMusicXml`'s text, encoded measure by
 * measure as it is made, so that the document is never held whole as text beside its bytes.
 * @example new TextDecoder().decode(writeMusicXmlBytes(score)) === writeMusicXml(score) // true
 */
export function writeMusicXmlBytes(score: Score, options: WriteOptions = {}): Uint8Array {
  return utf8Bytes((emit) => writePieces(score, options, emit));
}

/**
 * The document's text in pieces, in order. The root's children one by one, and each part's
 * measure by measure, each measure's elements made just before its text and then let go: the
 * same bytes as building the whole tree first, in a fraction of the memory.
 */
function writePieces(score: Score, options: WriteOptions, emit: (text: string) => void): void {
  const head = [
    writeWork(score),
    score.meta.movementNumber !== undefined && x("movement-number", {}, score.meta.movementNumber),
    score.meta.movementTitle !== undefined && x("movement-title", {}, score.meta.movementTitle),
    x(
      "identification",
      {},
      ...score.meta.creators.map((c) => x("creator", { type: c.type }, c.name)),
      ...score.meta.rights.map((r) => x("rights", {}, r)),
      x("encoding", {}, x("software", {}, options.software ?? "Tutti")),
    ),
    writeDefaults(score, options),
    writePartList(score),
  ];
  emit(PROLOG);
  emit('<score-partwise version="4.0">');
  emit(childrenText(head, INDENT));
  for (const p of score.parts) writePart(p, emit);
  emit("\n</score-partwise>\n");
}

/** The indentation of the root's children. */
const INDENT = "\n  ";

function writeWork(score: Score): XmlOut | undefined {
  const { title, workNumber } = score.meta;
  if (title === undefined && workNumber === undefined) return undefined;
  return x("work", {}, workNumber !== undefined && x("work-number", {}, workNumber), title !== undefined && x("work-title", {}, title));
}

function writePartList(score: Score): XmlOut {
  const items: XmlOut[] = [];
  score.parts.forEach((part, i) => {
    score.groups.forEach((g, gi) => {
      if (g.first === i) items.push(writeGroup(g, gi + 1, "start"));
    });
    items.push(writeScorePart(part));
    score.groups.forEach((g, gi) => {
      if (g.last === i) items.push(writeGroup(g, gi + 1, "stop"));
    });
  });
  return x("part-list", {}, ...items);
}

function writeGroup(g: PartGroup, number: number, type: "start" | "stop"): XmlOut {
  if (type === "stop") return x("part-group", { type, number });
  return x(
    "part-group",
    { type, number },
    g.name !== undefined && x("group-name", {}, g.name),
    g.abbreviation !== undefined && x("group-abbreviation", {}, g.abbreviation),
    g.symbol !== undefined && x("group-symbol", {}, g.symbol),
    g.barline !== undefined && x("group-barline", {}, g.barline ? "yes" : "no"),
  );
}

function writeScorePart(part: Part): XmlOut {
  return x(
    "score-part",
    { id: part.id },
    x("part-name", {}, part.name),
    part.abbreviation !== undefined && x("part-abbreviation", {}, part.abbreviation),
    ...part.instruments.map((i) =>
      x("score-instrument", { id: i.id }, x("instrument-name", {}, i.name), i.sound !== undefined && x("instrument-sound", {}, i.sound)),
    ),
    // Notation programs expect an instrument on every part (MuseScore reports its absence).
    part.instruments.length === 0 && x("score-instrument", { id: `${part.id}-I1` }, x("instrument-name", {}, part.name)),
    ...part.instruments
      .filter((i) => i.midiChannel !== undefined || i.midiProgram !== undefined || i.midiUnpitched !== undefined)
      .map((i) =>
        x(
          "midi-instrument",
          { id: i.id },
          i.midiChannel !== undefined && x("midi-channel", {}, i.midiChannel),
          i.midiProgram !== undefined && x("midi-program", {}, i.midiProgram),
          i.midiUnpitched !== undefined && x("midi-unpitched", {}, i.midiUnpitched),
          i.volume !== undefined && x("volume", {}, i.volume),
          i.pan !== undefined && x("pan", {}, i.pan),
        ),
      ),
  );
}

/** Everything a measure's notes need to know about the part around them. */
interface PartContext {
  readonly divisions: number;
  readonly multiInstrument: boolean;
  /** Staff numbers are written only for parts with more than one staff. */
  readonly staves: number;
  transpose: Transposition | undefined;
  key: KeySignature | undefined;
  time: TimeSignature | undefined;
}

function writePart(part: Part, emit: (text: string) => void): void {
  const ctx: PartContext = {
    divisions: divisionsOf(part),
    multiInstrument: part.instruments.length > 1,
    staves: part.staves,
    transpose: undefined,
    key: undefined,
    time: undefined,
  };
  // In measure order: a measure's key, time and transposition carry to the next through `ctx`.
  elementPieces("part", { id: part.id }, part.measures.length, (i) => writeMeasure(part.measures[i]!, i, part, ctx), INDENT, emit);
}

/** Quarter notes in a whole note: `<divisions>` counts per quarter, the model's times are in wholes. */
const FOUR = frac(4);

/** The smallest `<divisions>` (per quarter note) that makes every time point in the part a whole number. */
function divisionsOf(part: Part): number {
  let d = 1;
  const see = (f: Fraction): void => {
    d = lcm(d, mul(f, FOUR).d);
  };
  for (const m of part.measures) {
    see(m.duration);
    for (const e of m.events) {
      see(e.onset);
      see(e.duration);
    }
    for (const dir of m.directions) see(dir.offset);
    for (const h of m.harmonies) see(h.offset);
    for (const a of m.midAttributes) see(a.offset);
    for (const b of m.midBarlines) see(b.offset);
  }
  return d;
}

function staffEl(ctx: PartContext, staff: number): XmlOut | undefined {
  return ctx.staves > 1 || staff > 1 ? x("staff", {}, staff) : undefined;
}

/** A time in divisions: the same number as the product's fraction gives, without making it. */
function ticks(f: Fraction, ctx: PartContext): number {
  const n = f.n * 4 * ctx.divisions;
  if (Number.isSafeInteger(n)) return n / f.d;
  const t = mul(f, frac(4 * ctx.divisions));
  return t.n / t.d;
}

function writeMeasure(m: Measure, index: number, part: Part, ctx: PartContext): XmlOut {
  const a = m.attributes;
  if (a.transpose) ctx.transpose = isIdentityTransposition(a.transpose) ? undefined : a.transpose;
  if (a.key) ctx.key = a.key;
  if (a.time) ctx.time = a.time;
  const content: (XmlOut | undefined | false)[] = [];
  if (m.left) content.push(writeBarline(m.left, "left"));
  if (m.newSystem || m.newPage) content.push(x("print", { "new-system": m.newSystem ? "yes" : undefined, "new-page": m.newPage ? "yes" : undefined }));
  const attrs = writeAttributes(a, index === 0 ? ctx.divisions : undefined, index === 0 ? part.staves : undefined, ctx);
  if (attrs) content.push(attrs);
  content.push(...writeMeasureBody(m, ctx));
  if (m.right) content.push(writeBarline(m.right, "right"));
  return x("measure", { number: m.number, implicit: m.implicit ? "yes" : undefined }, ...content);
}

function writeAttributes(a: Attributes, divisions: number | undefined, staves: number | undefined, ctx: PartContext): XmlOut | undefined {
  const keys: XmlOut[] = [];
  if (a.staffKeys) for (const sk of a.staffKeys) keys.push(writeKey(sk.key, ctx, sk.staff));
  else if (a.key) keys.push(writeKey(a.key, ctx));
  const staffCount = a.staves ?? (staves !== undefined && staves > 1 ? staves : undefined);
  const parts = [
    divisions !== undefined && x("divisions", {}, divisions),
    ...keys,
    a.time && writeTime(a.time),
    staffCount !== undefined && x("staves", {}, staffCount),
    ...(a.clefs ?? []).map((c) => writeClef(c)),
    a.transpose && writeTranspose(a.transpose),
  ].filter((p): p is XmlOut => !!p);
  return parts.length ? x("attributes", {}, ...parts) : undefined;
}

function writeKey(k: KeySignature, ctx: PartContext, staff?: number): XmlOut {
  const attrs = { number: staff, "print-object": k.hidden ? "no" : undefined };
  if (k.kind === "traditional") {
    const written = k.fifths + (ctx.transpose ? writtenShiftFor(k, ctx).fifths : 0);
    return x(
      "key",
      attrs,
      k.cancel !== undefined && x("cancel", {}, k.cancel),
      x("fifths", {}, written),
      k.mode !== undefined && x("mode", {}, k.mode),
    );
  }
  return x(
    "key",
    attrs,
    ...k.steps.flatMap((s) => [
      x("key-step", {}, s.step),
      x("key-alter", {}, s.alter),
      s.accidental !== undefined ? x("key-accidental", {}, s.accidental) : undefined,
    ]),
  );
}

function writtenShiftFor(k: KeySignature, ctx: PartContext): { fifths: number } {
  return writtenShift({ ...ctx, key: k });
}

function writeTime(t: TimeSignature): XmlOut {
  if (t.kind === "senza-misura") return x("time", {}, x("senza-misura", {}, t.text));
  // "C" and "¢" stand for 4/4 and 2/2 only: a file that asks for C over 5/4 gets the numbers.
  const only = t.signatures.length === 1 ? `${t.signatures[0]!.beats}/${t.signatures[0]!.beatType}` : "";
  const symbol = (t.symbol === "common" && only !== "4/4") || (t.symbol === "cut" && only !== "2/2") ? undefined : t.symbol;
  return x(
    "time",
    { symbol, "print-object": t.hidden ? "no" : undefined },
    ...t.signatures.flatMap((s) => [x("beats", {}, s.beats), x("beat-type", {}, s.beatType)]),
  );
}

function writeClef(c: StaffClef): XmlOut {
  return x("clef", { number: c.staff }, ...clefBody(c.clef));
}

function clefBody(c: Clef): (XmlOut | false)[] {
  return [x("sign", {}, c.sign), c.line !== undefined && x("line", {}, c.line), !!c.octaveChange && x("clef-octave-change", {}, c.octaveChange)];
}

function writeTranspose(t: Transposition): XmlOut {
  return x(
    "transpose",
    {},
    x("diatonic", {}, t.diatonic),
    x("chromatic", {}, t.chromatic),
    !!t.octaveChange && x("octave-change", {}, t.octaveChange),
    !!t.double && x("double"),
  );
}

function writeBarline(b: Barline, location: "left" | "right" | "middle"): XmlOut {
  // Every barline says its style (a repeat's the heavy one it is drawn with), and every ending a
  // number: notation programs read a barline or ending without them as an error.
  const style = b.style ?? (b.repeat ? (b.repeat.direction === "backward" ? "light-heavy" : "heavy-light") : "regular");
  return x(
    "barline",
    { location },
    x("bar-style", {}, style),
    b.segno && x("segno"),
    b.coda && x("coda"),
    b.fermata && x("fermata"),
    b.ending && x("ending", { number: b.ending.number.trim() || "1", type: b.ending.type }, b.ending.text),
    b.repeat && x("repeat", { direction: b.repeat.direction, times: b.repeat.times }),
  );
}

// ---------------------------------------------------------------- measure body

/** Something placed in a voice's stream at a time that is not a note: a direction, chord symbol, clef change. */
type Attachment =
  | { readonly kind: "direction"; readonly at: Fraction; readonly d: Direction }
  | { readonly kind: "harmony"; readonly at: Fraction; readonly h: Harmony }
  | { readonly kind: "attributes"; readonly at: Fraction; readonly a: MidAttributes }
  | { readonly kind: "barline"; readonly at: Fraction; readonly b: Barline };

function writeMeasureBody(m: Measure, ctx: PartContext): XmlOut[] {
  const voices = voicesOf(m.events);
  const firstVoiceOnStaff = new Map<number, string>();
  for (const [v, evs] of voices) if (!firstVoiceOnStaff.has(evs[0]!.staff)) firstVoiceOnStaff.set(evs[0]!.staff, v);
  const firstVoice = voices.keys().next().value as string | undefined;
  const attach = new Map<string, Attachment[]>();
  const put = (voice: string | undefined, item: Attachment): void => {
    const key = voice ?? firstVoice ?? "";
    const list = attach.get(key);
    if (list) list.push(item);
    else attach.set(key, [item]);
  };
  for (const d of m.directions) {
    const v = d.voice !== undefined && voices.has(d.voice) ? d.voice : firstVoiceOnStaff.get(d.staff);
    put(v, { kind: "direction", at: d.offset, d });
  }
  for (const h of m.harmonies) put(firstVoiceOnStaff.get(h.staff ?? 1), { kind: "harmony", at: h.offset, h });
  // A clef change belongs to its staff's stream, where its time point is between that staff's notes.
  for (const a of m.midAttributes) put(a.clefs?.[0] && firstVoiceOnStaff.get(a.clefs[0].staff), { kind: "attributes", at: a.offset, a });
  for (const b of m.midBarlines) put(undefined, { kind: "barline", at: b.offset, b });

  const accidentals = accidentalsOf(m, ctx);
  const shift = writtenShift(ctx);
  const out: XmlOut[] = [];
  let reached = ZERO;
  const streams: [string, readonly Event[]][] = voices.size ? [...voices] : [[firstVoice ?? "", []]];
  streams.forEach(([voice, events], vi) => {
    if (vi > 0 && gt(reached, ZERO)) out.push(x("backup", {}, x("duration", {}, ticks(reached, ctx))));
    const items = [...(attach.get(voice) ?? [])].sort((p, q) => cmp(p.at, q.at));
    const beams = beamsOf(events, m, ctx);
    const tuplets = tupletMarksOf(events);
    let cursor = ZERO;
    const forwardTo = (t: Fraction, staff: number): void => {
      if (lt(cursor, t)) {
        out.push(x("forward", {}, x("duration", {}, ticks(sub(t, cursor), ctx)), voice !== "" && x("voice", {}, voice), staffEl(ctx, staff)));
        cursor = t;
      } else if (lt(t, cursor)) {
        out.push(x("backup", {}, x("duration", {}, ticks(sub(cursor, t), ctx))));
        cursor = t;
      }
    };
    let next = 0;
    events.forEach((ev, ei) => {
      const end = add(ev.onset, ev.duration);
      // Attachments that fall in the gap before this event go at their exact time.
      while (next < items.length && le(items[next]!.at, ev.onset)) {
        const it = items[next++]!;
        if (le(cursor, it.at)) forwardTo(it.at, ev.staff);
        out.push(writeAttachment(it, ctx, eq(it.at, cursor) ? ZERO : sub(it.at, cursor)));
      }
      forwardTo(ev.onset, ev.staff);
      // Directions inside this event's span go just before it, with an <offset>; attributes and
      // barlines, which have no offset, go after it, with a <backup> to their time and back.
      const after: Attachment[] = [];
      while (next < items.length && lt(items[next]!.at, end)) {
        const it = items[next++]!;
        if (it.kind === "direction" || it.kind === "harmony") out.push(writeAttachment(it, ctx, sub(it.at, cursor)));
        else after.push(it);
      }
      for (const note of writeEvent(ev, ctx, shift, accidentals.get(ev), beams.get(ei), tuplets.get(ei))) out.push(note);
      for (const it of after) {
        const back = ticks(sub(end, it.at), ctx);
        out.push(x("backup", {}, x("duration", {}, back)), writeAttachment(it, ctx, ZERO), x("forward", {}, x("duration", {}, back)));
      }
      cursor = end;
    });
    for (; next < items.length; next++) {
      const it = items[next]!;
      forwardTo(it.at, events[0]?.staff ?? 1);
      out.push(writeAttachment(it, ctx, ZERO));
    }
    reached = cursor;
    if (vi === streams.length - 1 && lt(cursor, m.duration)) {
      forwardTo(m.duration, events[0]?.staff ?? 1);
      reached = cursor;
    }
  });
  return out;
}

function writeAttachment(it: Attachment, ctx: PartContext, offset: Fraction): XmlOut {
  const off = offset.n !== 0 ? x("offset", {}, ticks(offset, ctx)) : undefined;
  switch (it.kind) {
    case "direction":
      return writeDirection(it.d, off, ctx);
    case "harmony":
      return writeHarmony(it.h, off, ctx);
    case "barline":
      return writeBarline(it.b, "middle");
    case "attributes": {
      const a = it.a;
      if (a.key) ctx.key = a.key;
      return x(
        "attributes",
        {},
        a.key && writeKey(a.key, ctx),
        a.time && writeTime(a.time),
        ...(a.clefs ?? []).map((c) => writeClef(c)),
      );
    }
  }
}

function writeDirection(d: Direction, offset: XmlOut | undefined, ctx: PartContext): XmlOut {
  const sound = d.sound && x("sound", { tempo: d.sound.tempo, dynamics: d.sound.dynamics, ...Object.fromEntries(JUMPS.map((j) => [j, d.sound![j]])) });
  // Playback alone (a tempo with no mark) is a bare <sound>.
  if (d.items.length === 0 && sound) return sound;
  const types = d.items.map((i) => x("direction-type", {}, writeDirectionItem(i)));
  return x(
    "direction",
    { placement: d.placement },
    ...types,
    offset,
    d.voice !== undefined && x("voice", {}, d.voice),
    staffEl(ctx, d.staff),
    sound,
  );
}

function writeDirectionItem(i: DirectionItem): XmlOut {
  switch (i.kind) {
    case "dynamics":
      return x("dynamics", {}, ...i.values.map((v) => (DYNAMIC_ELEMENTS.has(v) ? x(v) : x("other-dynamics", {}, v))));
    case "words":
      return x("words", {}, i.text);
    case "rehearsal":
      return x("rehearsal", {}, i.text);
    case "metronome":
      return x(
        "metronome",
        { parentheses: i.parentheses ? "yes" : undefined },
        x("beat-unit", {}, i.beatUnit),
        ...Array.from({ length: i.dots }, () => x("beat-unit-dot")),
        x("per-minute", {}, i.perMinute),
      );
    case "wedge":
      return x("wedge", { type: i.type, number: i.number });
    case "dashes":
      return x("dashes", { type: i.type, number: i.number });
    case "octave-shift":
      return x("octave-shift", { type: i.type, size: i.size, number: i.number });
    case "pedal":
      return x("pedal", { type: i.type, line: i.line === undefined ? undefined : i.line ? "yes" : "no" });
    case "segno":
      return x("segno");
    case "coda":
      return x("coda");
  }
}

const DYNAMIC_ELEMENTS = new Set([
  "p", "pp", "ppp", "pppp", "ppppp", "pppppp", "f", "ff", "fff", "ffff", "fffff", "ffffff", "mp", "mf", "sf", "sfp",
  "sfpp", "fp", "rf", "rfz", "sfz", "sffz", "fz", "n", "pf", "sfzp",
]);

/** A chord symbol, written as a transposing part reads it (the model holds it sounding, like the notes). */
function writeHarmony(sounding: Harmony, offset: XmlOut | undefined, ctx: PartContext): XmlOut {
  const shift = writtenShift(ctx);
  const h = transposeHarmony(sounding, shift.diatonic, shift.chromatic);
  return x(
    "harmony",
    {},
    x("root", {}, x("root-step", {}, h.root.step), h.root.alter !== 0 && x("root-alter", {}, h.root.alter)),
    x("kind", { text: h.kindText }, h.kind),
    h.bass && x("bass", {}, x("bass-step", {}, h.bass.step), h.bass.alter !== 0 && x("bass-alter", {}, h.bass.alter)),
    ...(h.degrees ?? []).map((d) =>
      x("degree", {}, x("degree-value", {}, d.value), x("degree-alter", {}, d.alter), x("degree-type", {}, d.type)),
    ),
    offset,
    h.staff !== undefined && staffEl(ctx, h.staff),
  );
}

// ---------------------------------------------------------------- notes

function writeEvent(
  ev: Event,
  ctx: PartContext,
  shift: { diatonic: number; chromatic: number },
  accidentals: readonly (string | undefined)[] | undefined,
  beams: readonly Beam[] | undefined,
  tupletMarks: readonly TupletMark[] | undefined,
): XmlOut[] {
  // What every note of a chord shares is made once: an element may stand in several places.
  const value = valueOf(ev);
  const dur = ev.kind === "note" && ev.grace ? undefined : x("duration", {}, ticks(ev.duration, ctx));
  const voice = x("voice", {}, ev.voice);
  const type = value && x("type", {}, value.type);
  const dots = repeated("dot", value?.dots ?? 0);
  const timeMod = ev.tuplet && writeTimeModification(ev.tuplet);
  const tupletEls = (tupletMarks ?? ev.tupletMarks ?? []).map((t) => writeTuplet(t));
  const printObject = { "print-object": ev.hidden ? "no" : undefined };
  if (ev.kind === "rest") {
    const rest = x(
      "rest",
      { measure: ev.measureRest ? "yes" : undefined },
      ev.position && x("display-step", {}, ev.position.step),
      ev.position && x("display-octave", {}, ev.position.octave),
    );
    const notations = ev.fermata ? [...tupletEls, x("fermata")] : tupletEls;
    return [
      x(
        "note",
        printObject,
        ev.cue && x("cue"),
        rest,
        dur,
        voice,
        type,
        ...dots,
        timeMod,
        staffEl(ctx, ev.staff),
        notations.length > 0 && x("notations", {}, ...notations),
      ),
    ];
  }
  const out: XmlOut[] = [];
  ev.notes.forEach((n, ni) => {
    const first = ni === 0;
    const written = n.pitch ? transpose(n.pitch, shift.diatonic, shift.chromatic) : undefined;
    const computed = accidentals?.[ni];
    const notations: XmlOut[] = [];
    if (n.tieStop) notations.push(x("tied", { type: "stop" }));
    if (n.tieStart) notations.push(x("tied", { type: "start" }));
    if (first) notations.push(...eventNotations(ev, tupletEls));
    out.push(
      x(
        "note",
        printObject,
        ev.grace && x("grace", { slash: ev.grace.slash ? "yes" : undefined }),
        ev.cue && x("cue"),
        !first && x("chord"),
        written ? writePitch(written) : x("unpitched", {}, x("display-step", {}, n.unpitched!.step), x("display-octave", {}, n.unpitched!.octave)),
        dur,
        !ev.cue && n.tieStop && x("tie", { type: "stop" }),
        !ev.cue && n.tieStart && x("tie", { type: "start" }),
        ctx.multiInstrument && n.instrument !== undefined && x("instrument", { id: n.instrument }),
        voice,
        type,
        ...dots,
        n.accidental ? writeAccidental(n.accidental) : computed !== undefined && x("accidental", {}, computed),
        timeMod,
        ev.stem !== undefined && x("stem", {}, ev.stem),
        n.notehead !== undefined && x("notehead", {}, n.notehead),
        staffEl(ctx, n.staff ?? ev.staff),
        ...(first && beams ? beams.map((b) => x("beam", { number: b.number }, b.value)) : []),
        notations.length > 0 && x("notations", {}, ...notations),
        ...(first && ev.lyrics ? ev.lyrics.map((l) => writeLyric(l)) : []),
      ),
    );
  });
  return out;
}

/** `count` copies of an empty element (a note's `<dot/>`s). */
function repeated(name: string, count: number): XmlOut[] {
  const out: XmlOut[] = [];
  for (let i = 0; i < count; i++) out.push(x(name));
  return out;
}

function writeTimeModification(t: NonNullable<Event["tuplet"]>): XmlOut {
  return x(
    "time-modification",
    {},
    x("actual-notes", {}, t.actual),
    x("normal-notes", {}, t.normal),
    t.normalType !== undefined && x("normal-type", {}, t.normalType),
    ...repeated("normal-dot", t.normalDots ?? 0),
  );
}

function writeTuplet(t: TupletMark): XmlOut {
  return x("tuplet", {
    type: t.type,
    number: t.number,
    bracket: t.bracket === undefined ? undefined : t.bracket ? "yes" : "no",
    "show-number": t.showNumber,
    placement: t.placement,
  });
}

function writeAccidental(a: Accidental): XmlOut {
  return x(
    "accidental",
    {
      cautionary: a.cautionary ? "yes" : undefined,
      editorial: a.editorial ? "yes" : undefined,
      parentheses: a.parentheses ? "yes" : undefined,
    },
    a.value,
  );
}

function writePitch(p: Pitch): XmlOut {
  return x("pitch", {}, x("step", {}, p.step), p.alter !== 0 && x("alter", {}, p.alter), x("octave", {}, p.octave));
}

function eventNotations(ev: NoteEvent, tupletEls: XmlOut[]): XmlOut[] {
  const out: XmlOut[] = [];
  for (const s of ev.slurs ?? []) out.push(x("slur", { type: s.type, number: s.number, placement: s.placement }));
  out.push(...tupletEls);
  const groups = [
    marksEl("ornaments", ev.ornaments, ev.tremolo ? x("tremolo", { type: "single" }, ev.tremolo) : undefined),
    marksEl("technical", ev.technical),
    marksEl("articulations", ev.articulations),
  ];
  for (const g of groups) if (g) out.push(g);
  if (ev.fermata) out.push(x("fermata"));
  if (ev.arpeggiate) out.push(x("arpeggiate", { direction: ev.arpeggiate.direction }));
  return out;
}

/** A group of marks (`<articulations>`, ...) with what follows them in it (a tremolo); none when empty. */
function marksEl(name: string, list: readonly Mark[] | undefined, extra?: XmlOut): XmlOut | undefined {
  if (!list?.length && !extra) return undefined;
  // A strong accent points up unless it says down; "up" is left to that default, which
  // MuseScore 3 reads where it refuses the explicit value.
  const els = (list ?? []).map((m) => x(m.name, { type: m.name === "strong-accent" && m.type === "up" ? undefined : m.type, placement: m.placement }, m.text));
  return x(name, {}, ...els, extra);
}

function writeLyric(l: NonNullable<NoteEvent["lyrics"]>[number]): XmlOut {
  return x(
    "lyric",
    { number: l.number },
    l.syllabic !== undefined && x("syllabic", {}, l.syllabic),
    x("text", {}, l.text),
    l.extend && x("extend"),
  );
}

