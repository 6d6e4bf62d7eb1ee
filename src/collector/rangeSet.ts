/**
 * A set of non-negative integers kept as sorted, disjoint, non-adjacent closed ranges.
 * It records which sequence numbers of a stream were written: normally one range `[0, n]`, one
 * more per hole, so it stays tiny however long the stream is. Serializable as `[[a, b], …]`.
 */
export type Range = [number, number];

export class RangeSet {
  private ranges: Range[];

  constructor(ranges: readonly Range[] = []) {
    this.ranges = ranges.map(([a, b]) => [a, b]);
  }

  toJSON(): Range[] {
    return this.ranges.map(([a, b]) => [a, b]);
  }

  get rangeCount(): number {
    return this.ranges.length;
  }

  /** Smallest member, or undefined when empty. */
  get min(): number | undefined {
    return this.ranges[0]?.[0];
  }

  /** Largest member, or undefined when empty. */
  get max(): number | undefined {
    return this.ranges[this.ranges.length - 1]?.[1];
  }

  /** Index of the last range whose start is ≤ n, or −1. */
  private floorIndex(n: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ranges[mid]![0] <= n) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  has(n: number): boolean {
    // Fast path: the common case is the tail of the last range.
    const last = this.ranges[this.ranges.length - 1];
    if (last && n >= last[0]) return n <= last[1];
    const i = this.floorIndex(n);
    return i >= 0 && n <= this.ranges[i]![1];
  }

  /** Adds n; returns false when it was already a member. */
  add(n: number): boolean {
    const last = this.ranges[this.ranges.length - 1];
    if (last && n >= last[0]) {
      if (n <= last[1]) return false;
      if (n === last[1] + 1) {
        last[1] = n;
        return true;
      }
      this.ranges.push([n, n]);
      return true;
    }
    const i = this.floorIndex(n);
    const cur = i >= 0 ? this.ranges[i]! : undefined;
    if (cur && n <= cur[1]) return false;
    const next = this.ranges[i + 1];
    const joinsCur = cur !== undefined && cur[1] + 1 === n;
    const joinsNext = next !== undefined && next[0] - 1 === n;
    if (joinsCur && joinsNext) {
      cur[1] = next[1];
      this.ranges.splice(i + 1, 1);
    } else if (joinsCur) {
      cur[1] = n;
    } else if (joinsNext) {
      next[0] = n;
    } else {
      this.ranges.splice(i + 1, 0, [n, n]);
    }
    return true;
  }

  /** The missing ranges between `from` and the largest member (inclusive bounds). */
  holes(from: number): Range[] {
    const out: Range[] = [];
    let expected = from;
    for (const [a, b] of this.ranges) {
      if (b < expected) continue;
      if (a > expected) out.push([expected, a - 1]);
      expected = b + 1;
    }
    return out;
  }

  /** How many members fall in [a, b]. */
  countIn(a: number, b: number): number {
    let count = 0;
    for (const [x, y] of this.ranges) {
      if (y < a) continue;
      if (x > b) break;
      count += Math.min(y, b) - Math.max(x, a) + 1;
    }
    return count;
  }
}
