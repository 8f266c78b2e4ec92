/** The MusicXML `<part-list>`: each part's name and instruments, and the groups (braces, brackets) that join parts. */
import type { PartGroup, PartInstrument } from "../../model/score.js";
import { childNumber, childText, elements, type XmlElement } from "../../xml/tree.js";

/** What the part list says of one part, before its measures are read. */
export interface PartInfo {
  name: string;
  abbreviation?: string;
  instruments: PartInstrument[];
}

/** Part infos by id, and groups by index in the list (the caller maps them to the order of `<part>`s). */
export function readPartList(el: XmlElement): { infos: Map<string, PartInfo>; groups: PartGroup[] } {
  const infos = new Map<string, PartInfo>();
  const groups: PartGroup[] = [];
  const open = new Map<string, { start: number; el: XmlElement }>();
  let index = 0;
  for (const c of elements(el)) {
    if (c.name === "score-part") {
      const id = c.attrs.id ?? `P${index + 1}`;
      const midi = new Map(elements(c, "midi-instrument").map((m) => [m.attrs.id ?? "", m]));
      const instruments = elements(c, "score-instrument").map((si): PartInstrument => {
        const iid = si.attrs.id ?? "";
        const m = midi.get(iid);
        const inst: { -readonly [K in keyof PartInstrument]: PartInstrument[K] } = {
          id: iid,
          name: childText(si, "instrument-name") ?? "",
        };
        const sound = childText(si, "instrument-sound");
        if (sound) inst.sound = sound;
        if (m) {
          const prog = childNumber(m, "midi-program");
          if (prog !== undefined && prog >= 1 && prog <= 128) inst.midiProgram = prog;
          const ch = childNumber(m, "midi-channel");
          if (ch !== undefined && ch >= 1 && ch <= 16) inst.midiChannel = ch;
          const un = childNumber(m, "midi-unpitched");
          if (un !== undefined && un >= 1 && un <= 128) inst.midiUnpitched = un;
          const vol = childNumber(m, "volume");
          if (vol !== undefined) inst.volume = vol;
          const pan = childNumber(m, "pan");
          if (pan !== undefined) inst.pan = pan;
        }
        return inst;
      });
      const info: PartInfo = { name: childText(c, "part-name") ?? "", instruments };
      const abbr = childText(c, "part-abbreviation");
      if (abbr) info.abbreviation = abbr;
      infos.set(id, info);
      index++;
    } else if (c.name === "part-group") {
      const num = c.attrs.number ?? "1";
      if (c.attrs.type === "start") open.set(num, { start: index, el: c });
      else if (c.attrs.type === "stop") {
        const o = open.get(num);
        if (o && index > o.start) {
          const g: { -readonly [K in keyof PartGroup]: PartGroup[K] } = { first: o.start, last: index - 1 };
          const sym = childText(o.el, "group-symbol");
          if (sym === "brace" || sym === "bracket" || sym === "line" || sym === "square" || sym === "none") g.symbol = sym;
          const name = childText(o.el, "group-name");
          if (name) g.name = name;
          const ab = childText(o.el, "group-abbreviation");
          if (ab) g.abbreviation = ab;
          const bl = childText(o.el, "group-barline");
          if (bl) g.barline = bl === "yes";
          groups.push(g);
        }
        open.delete(num);
      }
    }
  }
  return { infos, groups };
}
