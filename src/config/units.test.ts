import { describe, expect, test } from 'vitest';
import { parseBytes, parseDuration } from './index.js';

describe('parseBytes()', () => {
  test('reads decimal and binary units, and plain numbers as bytes', () => {
    expect(parseBytes('512MB')).toBe(512_000_000);
    expect(parseBytes('2GB')).toBe(2_000_000_000);
    expect(parseBytes('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseBytes('800MiB')).toBe(800 * 2 ** 20);
    expect(parseBytes('512Mi')).toBe(512 * 2 ** 20);
    expect(parseBytes('2 gb')).toBe(2e9);
    expect(parseBytes(4096)).toBe(4096);
    expect(parseBytes('4096')).toBe(4096);
  });

  test('rejects unreadable, zero and ambiguous sizes', () => {
    for (const bad of ['2 gigs', '2G', '0MB', '', -1, 0, 'MB']) {
      expect(() => parseBytes(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});

describe('parseDuration()', () => {
  test('reads units and plain numbers as seconds, in milliseconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('1h 30m 15s')).toBe(5_415_000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration(90)).toBe(90_000);
    expect(parseDuration('1.5')).toBe(1500);
  });

  test('rejects unreadable and zero durations', () => {
    for (const bad of ['10 minutes', '1h30', '0s', '', -5, 'h']) {
      expect(() => parseDuration(bad)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    }
  });
});
