/**
 * PII detectors. Each has a regex pattern and, where a regex cannot tell a real value from a
 * look-alike, a confirming check. Patterns run both in DuckDB (RE2) and in JavaScript, so they
 * use only what both read the same way: no look-arounds (a candidate's surroundings are matched
 * by non-capturing groups, the candidate itself is capture group 1) and only bounded
 * repetition, which keeps JavaScript's backtracking linear on long values.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const PII_KINDS = ['email', 'phone', 'ipv4', 'ipv6', 'credit_card', 'ssn', 'iban'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface Detector {
  kind: PiiKind;
  /** Regex; group 1 is the candidate value. */
  pattern: string;
  /** A character every candidate contains: a cheap test that spares the regex on most values. */
  requires?: string;
  /** What the confirming check is, for reports; absent when the regex is the whole test. */
  check?: string;
  confirm?: (candidate: string) => boolean;
}

const digits = (s: string) => s.replace(/[^0-9]/g, '');

/** Candidate surroundings: not glued to letters, digits or the listed punctuation. */
const before = (extra: string) => `(?:^|[^0-9A-Za-z${extra}])`;
const after = (extra: string) => `(?:$|[^0-9A-Za-z${extra}]|\\.(?:$|[^0-9A-Za-z]))`;

const PHONE = [
  // International: +CC then digits with spaces, dots, dashes or brackets; the digit count is checked.
  String.raw`\+[1-9][0-9 ().-]{7,22}[0-9]`,
  // North American: (555) 123-4567, 555-123-4567, 555.123.4567, 555 123 4567.
  String.raw`(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .-])[0-9]{3}[ .-][0-9]{4}`,
  // National with a trunk 0: 020 7946 0958, 06 12 34 56 78, (030) 1234567, 0161-496-0000,
  // 06-12345678; with dashes a two-digit prefix needs a longer next group, so 05-12-2021 is no phone.
  String.raw`(?:\(0[1-9][0-9]{0,3}\)|0[1-9][0-9]{0,3})(?: [0-9]{2,8}){1,4}`,
  String.raw`0[1-9](?:[0-9]{1,3}(?:-[0-9]{2,8}){1,4}|-[0-9]{3,8}(?:-[0-9]{2,8}){0,3})`,
].join('|');

const DATE_LIKE = /^(?:\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4}|\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2})(?:\D|$)/;

export function isPhone(candidate: string): boolean {
  const n = digits(candidate.replace('(0)', '')).length;
  return n >= 9 && n <= 15 && !DATE_LIKE.test(candidate) && !/^\d{3}-\d{2}-\d{4}$/.test(candidate);
}

/** Luhn checksum over the digits of `s`. */
export function luhn(s: string): boolean {
  const d = digits(s);
  let sum = 0;
  for (let i = 0; i < d.length; i++) {
    let x = d.charCodeAt(d.length - 1 - i) - 48;
    if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
    sum += x;
  }
  return d.length > 0 && sum % 10 === 0;
}

// Issuer prefixes and lengths of the major networks. Luhn alone passes one random number in
// ten, so without these an order id or a millisecond timestamp would often count as a card.
const CARD_NETWORKS: { prefix: RegExp; lengths: number[] }[] = [
  { prefix: /^4/, lengths: [13, 16, 19] }, // Visa
  { prefix: /^(5[1-5]|222[1-9]|22[3-9]|2[3-6]|27[01]|2720)/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(6011|64[4-9]|65)/, lengths: [16, 17, 18, 19] }, // Discover
  { prefix: /^(30[0-5]|36|38|39)/, lengths: [14, 15, 16, 17, 18, 19] }, // Diners Club
  { prefix: /^35(2[89]|[3-8])/, lengths: [16, 17, 18, 19] }, // JCB
  { prefix: /^62/, lengths: [16, 17, 18, 19] }, // UnionPay
  { prefix: /^(50|5[6-8]|67)/, lengths: [13, 14, 15, 16, 17, 18, 19] }, // Maestro
];

export function isCardNumber(candidate: string): boolean {
  const d = digits(candidate);
  return luhn(d) && CARD_NETWORKS.some((n) => n.prefix.test(d) && n.lengths.includes(d.length));
}

/** US SSN AAA-GG-SSSS: area not 000, 666 or 900–999; group not 00; serial not 0000. */
export function isSsn(candidate: string): boolean {
  const d = digits(candidate);
  const area = d.slice(0, 3);
  return d.length === 9 && area !== '000' && area !== '666' && area[0] !== '9' && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

/** IBAN lengths per country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21,
  CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18,
  FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23,
  IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27,
  MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27,
  SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

/** ISO 13616: the country's length, then mod 97 of the rearranged number is 1. */
export function isIban(candidate: string): boolean {
  const s = candidate.replace(/ /g, '');
  if (IBAN_LENGTHS[s.slice(0, 2)] !== s.length) return false;
  let rest = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = (v > 9 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  return rest === 1;
}

export const DETECTORS: readonly Detector[] = [
  {
    kind: 'email',
    requires: '@',
    pattern: String.raw`([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})`,
  },
  {
    kind: 'phone',
    pattern: `${before('.+-')}(${PHONE})${after('.-')}`,
    check: 'digit count 9–15, not a date',
    confirm: isPhone,
  },
  {
    kind: 'ipv4',
    requires: '.',
    pattern: `${before('.')}([0-9]{1,3}(?:\\.[0-9]{1,3}){3})${after('.')}`,
    check: 'octets 0–255',
    confirm: isIPv4,
  },
  {
    kind: 'ipv6',
    requires: ':',
    pattern: `${before(':.')}((?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|[0-9A-Fa-f:]{0,36}::[0-9A-Fa-f:.]{0,36})(?:$|[^0-9A-Za-z:])`,
    check: 'address syntax',
    // '::' alone is the unspecified address, and in text more often an operator.
    confirm: (c) => /[0-9A-Fa-f]/.test(c) && isIPv6(c.replace(/\.+$/, '')),
  },
  {
    kind: 'credit_card',
    pattern: `${before('.+-')}([0-9](?:[ -]?[0-9]){12,18})${after('-')}`,
    check: 'Luhn and network prefix',
    confirm: isCardNumber,
  },
  {
    kind: 'ssn',
    pattern: `${before('-')}([0-9]{3}-[0-9]{2}-[0-9]{4}|[0-9]{3} [0-9]{2} [0-9]{4})${after('-')}`,
    check: 'valid area, group and serial',
    confirm: isSsn,
  },
  {
    kind: 'iban',
    pattern: `${before('')}([A-Z]{2}[0-9]{2}(?:[0-9A-Z]{11,30}|(?: [0-9A-Z]{4}){2,7}(?: [0-9A-Z]{1,4})?))(?:$|[^0-9A-Za-z])`,
    check: 'country length and mod-97',
    confirm: isIban,
  },
];

/**
 * A candidate shown in a report without giving it away: emails keep the first letter of the
 * local part and of the domain and the top-level domain (j***@e***.com); other values keep
 * their punctuation and last two characters (***-**-**89).
 */
export function maskExample(kind: PiiKind, value: string): string {
  if (kind === 'email') {
    const at = value.lastIndexOf('@');
    const domain = value.slice(at + 1);
    const tld = domain.slice(domain.lastIndexOf('.') + 1);
    return `${value[0]}***@${domain[0]}***.${tld}`;
  }
  const keep = 2;
  let seen = 0;
  const total = value.replace(/[^0-9A-Za-z]/g, '').length;
  return value.replace(/[0-9A-Za-z]/g, (ch) => (++seen > total - keep ? ch : '*'));
}
