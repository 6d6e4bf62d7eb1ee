import { RangeSet } from '../../src/collector/rangeSet';

describe('RangeSet', () => {
  it('keeps a contiguous run as one range', () => {
    const set = new RangeSet();
    for (let i = 0; i < 1000; i++) expect(set.add(i)).toBe(true);
    expect(set.toJSON()).toEqual([[0, 999]]);
    expect(set.add(500)).toBe(false);
    expect(set.has(999)).toBe(true);
    expect(set.has(1000)).toBe(false);
  });

  it('reports holes and closes them when filled, in any order', () => {
    const set = new RangeSet();
    [0, 1, 2, 6, 7, 10].forEach((n) => set.add(n));
    expect(set.holes(0)).toEqual([
      [3, 5],
      [8, 9],
    ]);
    set.add(4);
    expect(set.toJSON()).toEqual([
      [0, 2],
      [4, 4],
      [6, 7],
      [10, 10],
    ]);
    set.add(3);
    set.add(5);
    set.add(9);
    set.add(8);
    expect(set.toJSON()).toEqual([[0, 10]]);
    expect(set.holes(0)).toEqual([]);
  });

  it('counts members in a range and reports holes from a base', () => {
    const set = new RangeSet([
      [5, 9],
      [20, 29],
    ]);
    expect(set.countIn(0, 100)).toBe(15);
    expect(set.countIn(8, 21)).toBe(4);
    expect(set.holes(0)).toEqual([
      [0, 4],
      [10, 19],
    ]);
    expect(set.holes(12)).toEqual([[12, 19]]);
    expect(set.min).toBe(5);
    expect(set.max).toBe(29);
  });

  it('round-trips through JSON', () => {
    const set = new RangeSet();
    [3, 1, 2, 9].forEach((n) => set.add(n));
    const again = new RangeSet(JSON.parse(JSON.stringify(set)));
    expect(again.toJSON()).toEqual(set.toJSON());
    expect(again.has(2)).toBe(true);
    expect(again.has(4)).toBe(false);
  });
});
