import {
  characterCount,
  MULTI_LINE_TEXT,
  SINGLE_LINE_TEXT,
  truncateCharacters,
  withoutControlCharacters,
} from './text';

describe('withoutControlCharacters', () => {
  it('removes C0, DEL and C1 from single-line text', () => {
    const dirty = 'a\u0000b\u0007c\u001fd\u007fe\u0080f\u009fg\th\ni\rj';
    const clean = withoutControlCharacters(dirty);
    expect(clean).toBe('abcdefghij');
    expect(SINGLE_LINE_TEXT.test(clean)).toBe(true);
  });

  it('keeps tab and line feed in multi-line text, and nothing else', () => {
    const clean = withoutControlCharacters('a\u0000\tb\u000b\u000c\nc\r\n\u001b[31md\u009b', {
      multiLine: true,
    });
    expect(clean).toBe('a\tb\nc\n[31md');
    expect(MULTI_LINE_TEXT.test(clean)).toBe(true);
  });

  it('leaves printable text alone, non-ASCII and emoji included', () => {
    const text = 'Crème brûlée ☕ 😀 — 日本 \u00a0nbsp';
    expect(withoutControlCharacters(text)).toBe(text);
    expect(withoutControlCharacters(text, { multiLine: true })).toBe(text);
  });

  it('can leave nothing', () => {
    expect(withoutControlCharacters('\u0000\u0007\u007f\u009f')).toBe('');
  });
});

describe('characterCount and truncateCharacters', () => {
  it('count code points, not UTF-16 units', () => {
    expect(characterCount('😀😀a')).toBe(3);
    expect('😀😀a'.length).toBe(5);
  });

  it('never split a surrogate pair', () => {
    expect(truncateCharacters('😀😀😀', 2)).toBe('😀😀');
    expect(truncateCharacters('abc', 5)).toBe('abc');
    expect(truncateCharacters('abcdef', 3)).toBe('abc');
  });
});
