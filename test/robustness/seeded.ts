/**
 * Seeded randomness for the robustness suites: the same seed replays the same run, so a failure
 * found by a long run can be reproduced with `HEPH_FUZZ_SEED=<seed>`.
 */

/** mulberry32: small, fast, and good enough to pick test inputs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [low, high], both included. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  bool(probability = 0.5): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)] as T;
  }

  /** `length` random bytes, each drawn from `alphabet` when given. */
  bytes(length: number, alphabet?: Uint8Array): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++)
      out[i] = alphabet ? (alphabet[this.int(0, alphabet.length - 1)] as number) : this.int(0, 255);
    return out;
  }

  /** A string of `length` characters from `alphabet`. */
  string(length: number, alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -_"): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }

  /** A child generator, so one scenario's draws do not shift another's. */
  fork(label: string): Rng {
    return new Rng(mixSeed(this.int(0, 0xffffffff), hashLabel(label)));
  }
}

export function hashLabel(label: string): number {
  let hash = 2166136261;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 16777619);
  return hash >>> 0;
}

export function mixSeed(...parts: number[]): number {
  let hash = 0x9e3779b9;
  for (const part of parts) hash = Math.imul(hash ^ (part >>> 0), 0x85ebca6b) ^ (hash >>> 13);
  return hash >>> 0;
}

/** A non-negative integer from the environment, or `fallback`; anything else is an error. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`${name} must be a non-negative integer, got ${raw}`);
  return Number(raw);
}
