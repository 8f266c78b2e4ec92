/**
 * What a batch shows while it runs: on a terminal, one redrawn line on stderr (a bar, files done,
 * the current file, the time left), with failures printed above it; elsewhere (a pipe, a log, CI)
 * one plain line per file. `--quiet` shows failures only; `--json` prints nothing until the summary.
 */

export type ProgressMode = "bar" | "lines" | "quiet";

export interface Progress {
  started(path: string): void;
  arranged(path: string, outputs: readonly string[], extra: readonly string[]): void;
  failed(path: string, message: string): void;
  /** A file `--resume` left alone, its outputs up to date; not counted among the files to do. */
  skipped(path: string, outputs: readonly string[]): void;
  /** Removes the bar, if any, before the summary is printed. */
  finish(): void;
}

export function progressMode(opts: { quiet?: boolean; json?: boolean }, stream: { isTTY?: boolean } = process.stderr): ProgressMode {
  if (opts.quiet || opts.json) return "quiet";
  return stream.isTTY ? "bar" : "lines";
}

export function createProgress(mode: ProgressMode, total: number, now: () => number = Date.now): Progress {
  const began = now();
  let done = 0;
  const running: string[] = [];
  const width = (): number => Math.max(40, Math.min(process.stderr.columns || 80, 120));
  const clear = (): void => {
    if (mode === "bar") process.stderr.write("\r\x1b[K");
  };
  const draw = (): void => {
    if (mode !== "bar") return;
    const cells = 20;
    const filled = Math.round((done / Math.max(1, total)) * cells);
    const elapsed = (now() - began) / 1000;
    const left = done > 0 ? (elapsed / done) * (total - done) : undefined;
    const head = `[${"#".repeat(filled)}${"-".repeat(cells - filled)}] ${done}/${total}${left !== undefined ? `  ${clock(left)} left` : ""}  `;
    const current = running[running.length - 1] ?? "";
    const room = width() - head.length - 1;
    process.stderr.write(`\r\x1b[K${head}${current.length > room ? "…" + current.slice(current.length - room + 1) : current}`);
  };
  const stop = (path: string): void => {
    const i = running.indexOf(path);
    if (i >= 0) running.splice(i, 1);
    done++;
  };
  return {
    started(path) {
      running.push(path);
      draw();
    },
    arranged(path, outputs, extra) {
      stop(path);
      if (mode === "lines") {
        console.log(`${path} → ${outputs.join(", ")}`);
        for (const e of extra) console.log(e);
      }
      draw();
    },
    skipped(path, outputs) {
      if (mode === "lines") console.log(`${path} → ${outputs.join(", ")} (up to date, skipped)`);
    },
    failed(path, message) {
      stop(path);
      clear();
      console.error(`tutti: ${message.startsWith(path) ? message : `${path}: ${message}`}`);
      draw();
    },
    finish() {
      clear();
    },
  };
}

/** 75 → "1:15". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
