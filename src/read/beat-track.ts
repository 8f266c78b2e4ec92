/**
 * Beat tracking for MIDI files played without a click: where the file's beats do not fit its
 * notes, the beat is found from the notes themselves, in the style of Ellis (2007), "Beat
 * Tracking by Dynamic Programming" (J. New Music Research 36/1): an onset-strength envelope, a
 * global tempo from its autocorrelation weighed by a prior on tempo, and the beats as the path
 * through the envelope that best balances strong onsets against steady beat intervals.
 *
 * Time here is in seconds and floats: the tracker only says where the beats are. The reader maps
 * each tick to a position in beats by interpolating between them and quantises as it does a
 * sequenced file, so what reaches the score is exact time on a grid.
 */

/** A note onset as the tracker sees it: when (seconds) and how hard (velocity, 0–1). */
export interface TimedOnset {
  readonly seconds: number;
  readonly velocity: number;
}

/** Envelope frames per second. */
const RATE = 100;
/** Tempo prior: a log-Gaussian about this many quarters a minute, this many octaves wide. */
const PRIOR_BPM = 90;
const PRIOR_OCTAVES = 0.5;
/** How hard the dynamic programme holds the beat interval steady (Ellis's α). */
const TIGHTNESS = 100;

/**
 * The share of onsets (positions in beats) that lie on a simple grid: within a 24th of a beat of
 * a 16th or a triplet eighth. Near 1 for a file whose beats fit its notes, even played by hand;
 * about a half for onsets that fall anywhere.
 * @example gridFit([0, 0.5, 1.25, 1.333]) // 1
 */
export function gridFit(positions: readonly number[]): number {
  if (positions.length === 0) return 1;
  const near = (p: number, per: number): boolean => Math.abs(p * per - Math.round(p * per)) / per <= 1 / 24;
  return positions.filter((p) => near(p, 4) || near(p, 3)).length / positions.length;
}

/**
 * The beats of a performance, in seconds, from its onsets: one beat per quarter note, the tempo
 * free to drift. Undefined when there are too few onsets to tell.
 * @example trackBeats(quarters at 0.7 s with eighths between) // [0, 0.7, 1.4, …]
 */
export function trackBeats(onsets: readonly TimedOnset[]): number[] | undefined {
  const heard = new Set(onsets.map((o) => Math.round(o.seconds * RATE)));
  if (heard.size < 16) return undefined;
  const envelope = onsetEnvelope(onsets);
  const period = globalPeriod(envelope);
  if (period === undefined) return undefined;
  const rough = beatPath(envelope, new Float64Array(envelope.length).fill(period));
  if (rough.length < 4) return undefined;
  // Again, each beat held to the tempo of the beats about it: a long note, or a chord held under
  // a fermata, is counted at the tempo played before and after it, not at the piece's mean.
  const onOnset = (frame: number): boolean => {
    for (let d = -4; d <= 4; d++) if (heard.has(frame + d)) return true;
    return false;
  };
  const frames = beatPath(envelope, localPeriods(rough, onOnset, envelope.length, period));
  if (frames.length < 4) return undefined;
  return refine(frames.map((f) => f / RATE), onsets, period / RATE);
}

/** Onset strength per 10 ms frame: the notes' velocities (a chord is strong), smoothed over ±20 ms, squared, normalised. */
function onsetEnvelope(onsets: readonly TimedOnset[]): Float64Array {
  const last = onsets.reduce((a, o) => Math.max(a, o.seconds), 0);
  const length = Math.ceil(last * RATE) + 1;
  const raw = new Float64Array(length);
  for (const o of onsets) raw[Math.round(o.seconds * RATE)]! += 0.5 + o.velocity;
  const out = new Float64Array(length);
  const kernel = [0.14, 0.6, 1, 0.6, 0.14];
  for (let i = 0; i < length; i++) {
    let s = 0;
    for (let k = -2; k <= 2; k++) s += (raw[i + k] ?? 0) * kernel[k + 2]!;
    // Squared: a chord struck on the beat outweighs a passing note between beats by far more than
    // its number of notes, so that a texture of running eighths is still counted in quarters.
    out[i] = s * s;
  }
  let mean = 0;
  for (const x of out) mean += x;
  mean /= length;
  let sq = 0;
  for (const x of out) sq += (x - mean) ** 2;
  const sd = Math.sqrt(sq / length) || 1;
  for (let i = 0; i < length; i++) out[i] = out[i]! / sd;
  return out;
}

/** The beat period (frames) that the envelope's autocorrelation and the tempo prior agree on best, for 30–240 bpm. */
function globalPeriod(envelope: Float64Array): number | undefined {
  const minLag = Math.round((60 / 240) * RATE);
  const maxLag = Math.round((60 / 30) * RATE);
  if (envelope.length < 2 * maxLag) return undefined;
  let best: number | undefined;
  let bestScore = -Infinity;
  for (let lag = minLag; lag <= maxLag; lag++) {
    let s = 0;
    for (let i = lag; i < envelope.length; i++) s += envelope[i]! * envelope[i - lag]!;
    s /= envelope.length - lag;
    const octaves = Math.log2((60 * RATE) / lag / PRIOR_BPM);
    const score = s * Math.exp(-(octaves * octaves) / (2 * PRIOR_OCTAVES * PRIOR_OCTAVES));
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

/**
 * The beat period about each frame: the mean of the beat intervals near it (a Gaussian window of
 * 3 s), measured between beats that fall on onsets one or two beats apart (in a longer silence
 * the beats are guesses), leaving out those more than a third from the global period (a beat
 * skipped or doubled).
 */
function localPeriods(beats: readonly number[], onOnset: (frame: number) => boolean, length: number, period: number): Float64Array {
  const heard = beats.map((b, i) => ({ b, i })).filter((x) => onOnset(x.b));
  const intervals = heard
    .slice(1)
    .map((x, k) => ({ from: heard[k]!, to: x }))
    .filter(({ from, to }) => to.i - from.i <= 2)
    .map(({ from, to }) => ({ at: (from.b + to.b) / 2, gap: (to.b - from.b) / (to.i - from.i) }))
    .filter((x) => x.gap >= 0.75 * period && x.gap <= 1.33 * period);
  const out = new Float64Array(length).fill(period);
  const sigma = 3 * RATE;
  for (let t = 0; t < length; t++) {
    let w = 0;
    let s = 0;
    for (const x of intervals) {
      const d = (x.at - t) / sigma;
      if (d > 3 || d < -3) continue;
      const k = Math.exp(-(d * d) / 2);
      w += k;
      s += k * x.gap;
    }
    if (w > 1e-3) out[t] = s / w;
  }
  return out;
}

/** Ellis's dynamic programme: the best chain of beats, each between half and twice the period (about it) after the last. */
function beatPath(envelope: Float64Array, periods: Float64Array): number[] {
  const n = envelope.length;
  const score = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  for (let t = 0; t < n; t++) {
    const period = periods[t]!;
    const lo = Math.round(period / 2);
    const hi = Math.round(period * 2);
    let best = 0;
    let from = -1;
    for (let tau = t - hi; tau <= t - lo; tau++) {
      if (tau < 0) continue;
      const ln = Math.log((t - tau) / period);
      const s = score[tau]! - TIGHTNESS * ln * ln;
      if (from < 0 || s > best) {
        best = s;
        from = tau;
      }
    }
    // A chain starts afresh where continuing one would cost more than it gains.
    score[t] = envelope[t]! + (from >= 0 && best > 0 ? best : 0);
    back[t] = from >= 0 && best > 0 ? from : -1;
  }
  // The chain ends at the best score among the last period's frames.
  let end = Math.max(0, n - Math.round(periods[n - 1]!));
  for (let t = end; t < n; t++) if (score[t]! > score[end]!) end = t;
  const beats: number[] = [];
  for (let t = end; t >= 0; t = back[t]!) beats.push(t);
  return beats.reverse();
}

/**
 * Each beat moved to the mean of the onsets within an eighth of a beat of it (the envelope's
 * frames are 10 ms; a chord played by hand spreads over more), and the chain extended to the last
 * onset at the last interval.
 */
function refine(beats: readonly number[], onsets: readonly TimedOnset[], period: number): number[] {
  const times = onsets.map((o) => o.seconds).sort((a, b) => a - b);
  const out = beats.map((b) => {
    const near = times.filter((t) => Math.abs(t - b) <= period / 8);
    return near.length > 0 ? near.reduce((a, t) => a + t, 0) / near.length : b;
  });
  const last = times[times.length - 1]!;
  while (out[out.length - 1]! < last) out.push(2 * out[out.length - 1]! - out[out.length - 2]!);
  return out;
}
