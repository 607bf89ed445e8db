import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../shared/flows/index.ts';

function split(chunks: readonly string[]): [string, number][] {
  const out: [string, number][] = [];
  const s = new LineSplitter((text, line) => out.push([text, line]));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('LineSplitter', () => {
  it('numbers lines across chunk boundaries, whatever the cut', () => {
    const text = 'one\ntwo\r\n\nthree\nfour';
    const expected: [string, number][] = [
      ['one', 1],
      ['two', 2],
      ['', 3],
      ['three', 4],
      ['four', 5],
    ];
    for (let cut = 0; cut <= text.length; cut++)
      expect(split([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    expect(split([...text])).toEqual(expected);
  });

  it('a final newline ends the last line; no empty line follows it', () => {
    expect(split(['a\nb\n'])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(split([''])).toEqual([]);
  });
});
