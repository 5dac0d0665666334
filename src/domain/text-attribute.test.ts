// The error-message formatter and the clean-text check: bounded on hostile values, exact on ordinary ones.
import { describe, expect, it } from 'vitest';
import { isCleanText, parseString, shown } from './text-attribute.js';

describe('shown', () => {
  it('quotes strings as they are and other values as JSON', () => {
    expect(shown('abc')).toBe('abc');
    expect(shown({ a: [1, null, true] })).toBe('{"a":[1,null,true]}');
    expect(shown(undefined)).toBe('undefined');
  });

  it('a value 100,000 levels deep is cut at 8 levels instead of overflowing the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(shown(deep)).toBe(`${'['.repeat(8)}[...]${']'.repeat(8)}`);
  });

  it('a huge value is cut at 1024 characters', () => {
    expect(shown(Array(10_000).fill(1)).length).toBe(1027);
  });
});

describe('isCleanText', () => {
  it('refuses NUL and unpaired surrogates, accepts pairs', () => {
    expect(isCleanText('plain ünïcode \u{1F600}')).toBe(true);
    for (const bad of ['a\u0000', '\ud800', 'x\udc00', '\udc00\ud800']) expect(isCleanText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('parseString refuses them with the attribute named', () => {
    expect(() => parseString('a\u0000b', 'name')).toThrow('Invalid input for name.');
  });
});
