/**
 * Seeded randomness for the simulator: every choice comes from here, so one seed always yields the
 * same records (never Math.random). Each cluster draws from its own stream (`fork`), so adding a
 * cluster or an option that touches one cluster leaves the others' records unchanged.
 */
import seedrandom from 'seedrandom';

/** RFC 4648 base-32 alphabet, lowercase: what CloudHSM cluster and HSM ids are made of. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export class Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(readonly seed: string) {
    this.prng = seedrandom(seed);
  }

  /** A new independent generator derived from this seed and a label. */
  fork(label: string): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.prng.double();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by weight: `[[value, weight], …]`. */
  weighted<T>(table: ReadonlyArray<readonly [T, number]>): T {
    const total = table.reduce((sum, [, weight]) => sum + weight, 0);
    let draw = this.next() * total;
    for (const [value, weight] of table) {
      draw -= weight;
      if (draw < 0) return value;
    }
    return (table[table.length - 1] as readonly [T, number])[0];
  }

  base32(length: number): string {
    let text = '';
    for (let i = 0; i < length; i += 1) text += BASE32[this.int(0, 31)];
    return text;
  }

  /**
   * A 64-bit unsigned integer above 2^53 as exact decimal text (bigint arithmetic, never a JS
   * number, which would round it).
   */
  uint64AboveSafe(): string {
    const high = BigInt(this.int(0x0020_0000, 0x7fff_ffff)); // >= 2^21 so the value is >= 2^53
    const low = BigInt(this.int(0, 0xffff_ffff));
    return ((high << 32n) | low).toString(10);
  }
}
