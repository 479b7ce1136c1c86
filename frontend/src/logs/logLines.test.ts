import { describe, expect, it } from 'vitest';
import { appendCapped, asText, downloadName, instanceChoices, parseLogLine, parseLogText } from './logLines';

describe('parseLogLine', () => {
  it('splits time, instance and text, keeping the spaces of the text', () => {
    expect(parseLogLine('2026-12-02T10:00:00Z hello-00001-1 loading  model weights')).toEqual({
      time: '2026-12-02T10:00:00Z',
      instance: 'hello-00001-1',
      text: 'loading  model weights',
      start: false,
    });
  });

  it('marks where each run of an instance begins', () => {
    expect(parseLogLine('t hello-00001-1 [ebb] started pid 41 on port 3001: sh -c exit 3')?.start).toBe(true);
    expect(parseLogLine('t hello-00001-1 [ebb] restart 2: started pid 57 on port 3002: sh -c exit 3')?.start).toBe(true);
    expect(parseLogLine('t hello-00001-1 [ebb] adopted pid 9 on port 3003, left running by a previous Ebb')?.start).toBe(true);
    expect(parseLogLine('t hello-00001-1 [ebb] exited unexpectedly with code 3')?.start).toBe(false);
    expect(parseLogLine('t hello-00001-1 someone printed [ebb] started pid')?.start).toBe(false);
  });

  it('skips the empty lines a followed stream sends to keep alive', () => {
    expect(parseLogLine('')).toBeNull();
    expect(parseLogText('t a one\n\nt a two\n').map((line) => line.text)).toEqual(['one', 'two']);
  });
});

describe('appendCapped', () => {
  it('keeps the newest lines when there are too many', () => {
    const lines = parseLogText('t a 1\nt a 2\nt a 3');
    expect(appendCapped(lines, parseLogText('t a 4\nt a 5'), 3).map((line) => line.text)).toEqual(['3', '4', '5']);
  });
});

describe('instanceChoices', () => {
  it('offers the current instances first, then the gone ones the lines name, without the revision itself', () => {
    const lines = parseLogText('t hello-00001-3 x\nt hello-00001 [ebb] retried\nt hello-00001-1 y\nt hello-00001-3 z');
    expect(instanceChoices('hello-00001', ['hello-00001-1'], lines)).toEqual(['hello-00001-1', 'hello-00001-3']);
  });
});

describe('downloads', () => {
  it('name the file after what is shown', () => {
    expect(downloadName('hello-00001', null, false)).toBe('hello-00001.log');
    expect(downloadName('hello-00001', 'hello-00001-2', true)).toBe('hello-00001-2-previous.log');
  });

  it('hold the lines as the API sent them', () => {
    const text = 't1 hello-00001-1 one\nt2 hello-00001-1 two';
    expect(asText(parseLogText(text))).toBe(`${text}\n`);
  });
});
