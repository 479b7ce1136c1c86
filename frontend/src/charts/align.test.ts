import { describe, expect, it } from 'vitest';
import { align } from './align';

describe('align', () => {
  it('puts series on the union of their instants, in seconds, with gaps as null', () => {
    const aligned = align([
      { t: [1000, 2000, 3000], values: [[1, 2, 3], [10, 20, 30]] },
      { t: [2000, 4000], values: [[5, 6]] },
    ]);
    expect(aligned.x).toEqual([1, 2, 3, 4]);
    expect(aligned.ys).toEqual([
      [1, 2, 3, null],
      [10, 20, 30, null],
      [null, 5, null, 6],
    ]);
  });

  it('is empty without series', () => {
    expect(align([])).toEqual({ x: [], ys: [] });
  });
});
