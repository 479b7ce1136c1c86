import { describe, expect, it } from 'vitest';
import { apportion, fromSpec, LATEST, preview, problems, rebalance, removeRow, rollBackTo, toSpec, total, type DraftRow } from './trafficDraft';

function rows(...lines: [string, number, string?][]): DraftRow[] {
  return lines.map(([target, percent, tag], i) => ({ key: `k${i}`, target, percent, tag: tag ?? '' }));
}

const REVISIONS = ['hello-00001', 'hello-00002', 'hello-00003'];

describe('apportion', () => {
  it('splits in proportion and always adds up exactly', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(100, [90, 10])).toEqual([90, 10]);
    expect(apportion(7, [0, 0])).toEqual([4, 3]);
  });
});

describe('rebalance', () => {
  it('gives what one line loses to the others in proportion, keeping the sum at 100', () => {
    const next = rebalance(rows(['hello-00001', 60], ['hello-00002', 30], ['hello-00003', 10]), 0, 20);
    expect(next.map((row) => row.percent)).toEqual([20, 60, 20]);
    expect(total(next)).toBe(100);
  });

  it('takes from the others when one line grows, never below zero', () => {
    const next = rebalance(rows(['hello-00001', 90], [LATEST, 10]), 1, 100);
    expect(next.map((row) => row.percent)).toEqual([0, 100]);
  });

  it('clamps to 0..100 and rounds to whole percents', () => {
    expect(rebalance(rows(['a', 50], ['b', 50]), 0, 140).map((r) => r.percent)).toEqual([100, 0]);
    expect(rebalance(rows(['a', 50], ['b', 50]), 0, -3).map((r) => r.percent)).toEqual([0, 100]);
    expect(rebalance(rows(['a', 50], ['b', 50]), 0, 33.6).map((r) => r.percent)).toEqual([34, 66]);
  });

  it('keeps a single line at 100', () => {
    expect(rebalance(rows(['a', 100]), 0, 40).map((r) => r.percent)).toEqual([100]);
  });
});

describe('removeRow', () => {
  it('gives the removed share to the rest', () => {
    expect(removeRow(rows(['a', 50], ['b', 30], ['c', 20]), 0).map((r) => r.percent)).toEqual([60, 40]);
  });
});

describe('problems', () => {
  it('has none for lines that add up to 100 with valid, distinct tags', () => {
    expect(problems(rows(['hello-00001', 90, 'stable'], [LATEST, 10, 'canary']), REVISIONS)).toEqual([]);
  });

  it('says what the percents add up to when it is not 100', () => {
    expect(problems(rows(['hello-00001', 90], [LATEST, 20]), REVISIONS)).toEqual(['The percents add up to 110; make them add up to 100.']);
  });

  it('names an unknown revision, a bad tag and a tag used twice', () => {
    const found = problems(rows(['hello-00009', 50, 'Canary'], [LATEST, 25, 'x'], ['hello-00001', 25, 'x']), REVISIONS);
    expect(found).toHaveLength(3);
    expect(found[0]).toContain('hello-00009');
    expect(found[1]).toContain('Tag "Canary"');
    expect(found[2]).toContain('used twice');
  });
});

describe('toSpec and fromSpec', () => {
  it('round-trip the desired traffic', () => {
    const spec = [
      { revision: 'hello-00001', percent: 90, tag: 'stable' },
      { latestRevision: true, percent: 10 },
    ];
    expect(toSpec(fromSpec(spec))).toEqual(spec);
  });
});

describe('preview', () => {
  it('lists percent and tag changes in words', () => {
    const before = rows([LATEST, 100]);
    const after = rows(['hello-00001', 90, 'stable'], [LATEST, 10, 'canary']);
    expect(preview(before, after)).toEqual([
      'latest ready revision: 100% → 10%',
      'hello-00001: 0% → 90%',
      'tag stable added, pointing at hello-00001',
      'tag canary added, pointing at latest ready revision',
    ]);
  });

  it('is empty when nothing changes', () => {
    expect(preview(rows(['a', 100]), rows(['a', 100]))).toEqual([]);
  });
});

describe('rollBackTo', () => {
  it('sends everything to one revision and keeps other tags at 0 %', () => {
    const next = rollBackTo(rows(['hello-00001', 90, 'stable'], [LATEST, 10, 'canary']), 'hello-00001');
    expect(next.map(({ target, percent, tag }) => [target, percent, tag])).toEqual([
      ['hello-00001', 100, 'stable'],
      [LATEST, 0, 'canary'],
    ]);
  });
});
