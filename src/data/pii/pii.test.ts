import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError } from '../../errors.js';
import { lit, withDuckDB } from '../duckdb.js';
import {
  formatPiiReport, isCardNumber, isIban, isPhone, isSsn, luhn, maskExample, maskSelect, parsePiiPolicy,
  personalNameHint, piiSalt, scanPii, type PiiReport,
} from './index.js';

// Each column holds one kind of PII (or look-alikes), so every count below can be worked out by hand.
const COLUMNS: Record<string, (string | null)[]> = {
  contact: ['jane.doe@example.com', 'Write to j.smith+news@mail.example.co.uk today', 'not an email: @handle', 'user at example dot com', 'a@b', null, 'x@y.org', ''],
  // '+12 345 67' has too few digits; '05-12-2021 14:30' is a date, not even a candidate.
  reach: ['+44 20 7946 0958', '+1 (555) 123-4567', '(555) 123-4567', '555.123.4567', '020 7946 0958', '06 12 34 56 78', '+12 345 67', '05-12-2021 14:30',
    '06-12345678', '(030) 1234567', '0161-496-0000', 'tel:+4915112345678'],
  host: ['10.0.0.1', 'server at 192.168.1.20, port 80', '999.1.1.1', '1.2.3.4.5', 'fe80::1ff:fe23:4567:890a', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '::1', 'a::b::c', '192.168.100.200'],
  pay: ['4111 1111 1111 1111', '5500-0055-5555-5559', '378282246310005', '6011111111111117', '4111 1111 1111 1112', '1234567812345670', 'order 12345', null],
  gov: ['123-45-6789', 'SSN 078-05-1120', '000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000', '123 45 6789'],
  bank: ['GB82WEST12345698765432', 'GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'GB82WEST12345698765431', 'GB82WEST1234569876543', 'XX82WEST12345698765432', 'FR1420041010050500013M02606', null],
  notes: ['Call me at +49 30 123456 or mail jane@example.org', 'Paid with 4111-1111-1111-1111 from 10.1.2.3', 'Shipped 2024-05-06, order ORD-2024-000123, v1.2.3', null, null, null, null, null],
  // Look-alikes: none of these is personal data.
  shipped: ['2024-05-06', '06/05/2024', '2024-05-06 12:30:00', '2024-05-06T12:30:00Z', '31.12.2023', '05-12-2021', '12:30:00', null],
  order_no: ['ORD-2024-000123', 'INV-000012345', 'PO 2024 0001 2345', 'A-1000-2000-3000-4000', '#12345678', null, null, null],
  big: ['123456789', '987654321', '100000000', '555123456', '2024050612', null, null, null],
  version: ['1.2.3', 'v2.10.0-beta', '10.0.19041.1', 'v4.0.1.2', '3.11.4 (main, Jun 2023)', null, null, null],
  epoch_ms: ['1700000000000', '1699999999999', null, null, null, null, null, null],
  hostname: ['db-1.internal', 'web-02', null, null, null, null, null, null],
  first_name: ['Ada', 'Alan', 'Grace', null, null, null, null, null],
};

const ROWS = Math.max(...Object.values(COLUMNS).map((c) => c.length));

let dir: string;
let parquet: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sluice-pii-'));
  const names = [...Object.keys(COLUMNS), 'education-num'];
  const quote = (v: string | null | undefined) => (v == null ? '' : `"${v.replaceAll('"', '""')}"`);
  const lines = [names.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push([...Object.values(COLUMNS).map((c) => quote(c[i])), String(9 + (i % 8))].join(','));
  const csv = path.join(dir, 'people.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  parquet = path.join(dir, 'people.parquet');
  await withDuckDB(async (conn) => {
    // Empty strings stay empty strings (only unquoted empty fields are null).
    const types = `{${Object.keys(COLUMNS).map((c) => `'${c}': 'VARCHAR'`).join(', ')}, 'education-num': 'BIGINT'}`;
    await conn.run(`COPY (SELECT * FROM read_csv(${lit(csv)}, header = true, columns = ${types})) TO ${lit(parquet)} (FORMAT parquet)`);
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scan = (options: Parameters<typeof scanPii>[2] = {}, relation = `read_parquet(${lit(parquet)})`) =>
  withDuckDB((conn) => scanPii(conn, relation, options));

/** column → kind → [matches, confirmed] */
function counts(report: PiiReport): Record<string, Record<string, [number, number]>> {
  return Object.fromEntries(report.columns.map((c) => [c.column, Object.fromEntries(c.detectors.map((d) => [d.kind, [d.matches, d.confirmed]]))]));
}

describe('scanPii', () => {
  it('counts candidates and confirmed values per column and detector, and nothing in the look-alikes', async () => {
    const r = await scan();
    expect(r.rowCount).toBe(12);
    expect(r.scannedColumns).toEqual(Object.keys(COLUMNS));
    expect(counts(r)).toEqual({
      contact: { email: [3, 3] },
      reach: { phone: [11, 10] },
      // 192.168.100.200 is no phone number either.
      host: { ipv4: [4, 3], ipv6: [4, 3] },
      pay: { credit_card: [6, 4] },
      // 078-05-1120 also has the shape of a phone number with a trunk 0; the phone check rejects SSN-shaped numbers.
      gov: { ssn: [8, 3], phone: [1, 0] },
      // The grouped "1234 5698 7654 32" inside the printed IBAN is a card candidate that fails the card check.
      bank: { credit_card: [1, 0], iban: [7, 4] },
      notes: { email: [1, 1], phone: [1, 1], ipv4: [1, 1], credit_card: [1, 1] },
      // Millisecond timestamps are card-length digit runs; Luhn alone would pass one in ten, the network prefix none.
      epoch_ms: { credit_card: [2, 0] },
      first_name: {},
    });
    for (const c of r.columns) for (const d of c.detectors) expect(d.capped).toBe(false);
  });

  it('marks findings without a policy as unapproved and fails, and never reports a raw value', async () => {
    const r = await scan();
    expect(Object.fromEntries(r.columns.map((c) => [c.column, c.action]))).toEqual({
      contact: 'unapproved', reach: 'unapproved', host: 'unapproved', pay: 'unapproved', gov: 'unapproved',
      bank: 'unapproved', notes: 'unapproved', epoch_ms: 'none', first_name: 'unapproved',
    });
    expect(r.columns.find((c) => c.column === 'first_name')?.nameHint).toBe('first name');
    expect(r.columns.find((c) => c.column === 'hostname')).toBeUndefined();
    expect(r.passed).toBe(false);
    expect(r.violations.map((v) => [v.column, v.reason, v.severity])).toEqual([
      ['contact', 'unapproved', 'fail'], ['reach', 'unapproved', 'fail'], ['host', 'unapproved', 'fail'], ['pay', 'unapproved', 'fail'],
      ['gov', 'unapproved', 'fail'], ['bank', 'unapproved', 'fail'], ['notes', 'unapproved', 'fail'], ['first_name', 'unapproved', 'fail'],
    ]);
    expect(r.violations[3].message).toBe("Column 'pay' has unapproved PII (credit_card in 4 values): give it block, mask or allow under pii.columns");
    expect(r.columns.find((c) => c.column === 'contact')?.detectors[0].examples).toEqual(['j***@e***.com', 'j***@m***.uk', 'x***@y***.org']);
    expect(r.columns.find((c) => c.column === 'gov')?.detectors.find((d) => d.kind === 'ssn')?.examples).toEqual(['*** ** **89', '***-**-**89', '***-**-**20']);

    const text = JSON.stringify(r) + formatPiiReport(r);
    const raw = Object.values(COLUMNS).flat().filter((v): v is string => v !== null && v.length > 0);
    const secrets = ['jane.doe@example.com', '4111 1111 1111 1111', '123-45-6789', 'GB82WEST12345698765432', '10.0.0.1', '+44 20 7946 0958', 'fe80::1ff:fe23:4567:890a'];
    for (const s of secrets) expect(raw).toContain(s);
    for (const s of secrets) expect(text).not.toContain(s);
  });

  it('applies the policy: block is a violation, mask and allow are approved, default warn only warns', async () => {
    const policy = { columns: { contact: 'mask', reach: 'mask', host: 'allow', pay: 'block', gov: 'block', bank: 'allow', notes: 'allow', first_name: 'allow' } } as const;
    const blocked = await scan({ policy });
    expect(blocked.passed).toBe(false);
    expect(blocked.violations).toEqual([
      { column: 'pay', reason: 'blocked', severity: 'fail', message: "Column 'pay' is blocked by the PII policy but is in the dataset" },
      { column: 'gov', reason: 'blocked', severity: 'fail', message: "Column 'gov' is blocked by the PII policy but is in the dataset" },
    ]);
    expect(blocked.columns.find((c) => c.column === 'contact')?.action).toBe('mask');

    const approved = await scan({ policy: { columns: { ...policy.columns, pay: 'mask', gov: 'mask' } } });
    expect(approved.violations).toEqual([]);
    expect(approved.passed).toBe(true);

    const warned = await scan({ policy: { default: 'warn', columns: { pay: 'block' } } });
    expect(warned.passed).toBe(false);
    expect(new Set(warned.violations.map((v) => `${v.reason}:${v.severity}`))).toEqual(new Set(['blocked:fail', 'unapproved:warn']));
    const onlyWarn = await scan({ policy: { default: 'warn' } });
    expect(onlyWarn.passed).toBe(true);
    expect(onlyWarn.violations).toHaveLength(8);
    expect(formatPiiReport(onlyWarn)).toContain('PII scan: passed with warnings');
  });

  it('reports confirmed counts as lower bounds past the sample limit', async () => {
    const r = await scan({ sampleLimit: 2 });
    const pay = r.columns.find((c) => c.column === 'pay')!.detectors[0];
    expect(pay).toMatchObject({ kind: 'credit_card', matches: 6, capped: true });
    // The two most frequent values (ties in value order) are 1234567812345670, not a card, and an Amex number.
    expect(pay.confirmed).toBe(1);
    expect(r.columns.find((c) => c.column === 'contact')!.detectors[0].capped).toBe(false);
    expect(formatPiiReport(r)).toContain('credit_card: at least 1 of 6 values pass Luhn and network prefix');
  });

  it('handles column names that clash with its own SQL aliases or need quoting', async () => {
    const r = await withDuckDB(async (conn) => {
      await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('4111111111111111', '123-45-6789', 'a@b.io', 'x')) v(h1, v0, n, "it's ""odd""")`);
      return scanPii(conn, 't');
    });
    expect(counts(r)).toEqual({ h1: { credit_card: [1, 1] }, v0: { ssn: [1, 1] }, n: { email: [1, 1] } });
  });

  it('rejects an invalid policy and names the field', async () => {
    await expect(scan({ policy: { columns: { email: 'hide' } } as never })).rejects.toThrow(/Invalid PII policy at pii\.columns\.email/);
  });
});

describe('maskSelect', () => {
  const sha = (s: string) => createHash('sha256').update(s).digest('hex');
  const masked = (salt: string) =>
    withDuckDB(async (conn: DuckDBConnection) => {
      await conn.run(`CREATE TABLE t AS SELECT * FROM (VALUES ('jane@example.com', 42, 'keep'), (NULL, NULL, 'x')) v(email, "account id", notes)`);
      const select = maskSelect(['email', 'account id', 'notes'], { columns: { email: 'mask', 'account id': 'mask', notes: 'allow' } }, salt);
      return (await conn.runAndReadAll(`SELECT ${select} FROM t`)).getRowObjectsJS();
    });

  it('replaces masked columns by sha256(salt || value), keeps nulls and other columns', async () => {
    const a = await masked('pepper');
    expect(a).toEqual([
      { email: sha('pepperjane@example.com'), 'account id': sha('pepper42'), notes: 'keep' },
      { email: null, 'account id': null, notes: 'x' },
    ]);
    expect(await masked('pepper')).toEqual(a);
    const b = await masked("salt with a ' quote");
    expect(b[0].email).toBe(sha("salt with a ' quotejane@example.com"));
    expect(b[0].email).not.toBe(a[0].email);
  });

  it('passes blocked and unlisted columns through and refuses an empty salt', () => {
    expect(maskSelect(['a', 'b'], { columns: { a: 'block' } }, '')).toBe('"a", "b"');
    expect(() => maskSelect(['a'], { columns: { a: 'mask' } }, '')).toThrow(SluiceError);
  });

  it('reads the salt from the environment variable the policy names', () => {
    expect(piiSalt(undefined, { SLUICE_PII_SALT: 's1' })).toBe('s1');
    expect(piiSalt({ salt_env: 'MY_SALT' }, { MY_SALT: 's2', SLUICE_PII_SALT: 's1' })).toBe('s2');
    expect(() => piiSalt({ salt_env: 'MY_SALT' }, {})).toThrow("Cannot mask PII columns: environment variable 'MY_SALT' is not set");
    expect(parsePiiPolicy(undefined)).toEqual({ salt_env: 'SLUICE_PII_SALT', columns: {}, default: 'fail' });
  });
});

describe('checks', () => {
  it('luhn and card networks', () => {
    expect(['4111111111111111', '5500005555555559', '378282246310005', '6011111111111117', '3530111333300000'].map(isCardNumber)).toEqual([true, true, true, true, true]);
    expect(luhn('4111111111111112')).toBe(false);
    expect(luhn('1234567812345670')).toBe(true);
    expect(isCardNumber('1234567812345670')).toBe(false);
  });

  it('IBAN country length and mod-97', () => {
    expect(isIban('GB82WEST12345698765432')).toBe(true);
    expect(isIban('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(isIban('NL91ABNA0417164300')).toBe(true);
    expect(isIban('GB82WEST12345698765431')).toBe(false);
    expect(isIban('GB82WEST1234569876543')).toBe(false);
    expect(isIban('NL91ABNA04171643000')).toBe(false);
  });

  it('SSN ranges and phone digit counts', () => {
    expect(['123-45-6789', '899-99-9999', '665-01-0001'].map(isSsn)).toEqual([true, true, true]);
    expect(['000-12-3456', '666-12-3456', '900-12-3456', '123-00-4567', '123-45-0000'].map(isSsn)).toEqual([false, false, false, false, false]);
    expect(['+44 (0)20 7946 0958', '020 7946 0958', '+4915112345678'].map(isPhone)).toEqual([true, true, true]);
    expect(['+12 345 67', '05-12-2021 14', '2021-05-12 1430', '078-05-1120', '+1234567890123456'].map(isPhone)).toEqual([false, false, false, false, false]);
  });

  it('masks examples', () => {
    expect(maskExample('email', 'jane.doe@mail.example.com')).toBe('j***@m***.com');
    expect(maskExample('credit_card', '4111-1111-1111-1111')).toBe('****-****-****-**11');
    expect(maskExample('iban', 'GB82WEST12345698765432')).toBe('********************32');
  });
});

describe('personalNameHint', () => {
  it('matches whole words, written apart or together, and leaves look-alikes alone', () => {
    const hits = ['name', 'first_name', 'FirstName', 'lastname', 'Surname', 'email', 'e-mail', 'EmailAddress', 'phone_number', 'home address',
      'street', 'zip', 'postal_code', 'ssn', 'passport_no', 'dob', 'date_of_birth', 'BirthDate', 'ip', 'client_ip', 'IPAddress', 'iban', 'credit_card_number'];
    expect(hits.filter((c) => personalNameHint(c) === undefined)).toEqual([]);
    const misses = ['hostname', 'education-num', 'product_name', 'tip', 'zipper', 'shipping', 'recipe', 'age', 'sex', 'race', 'native-country', 'fnlwgt', 'relationship'];
    expect(misses.filter((c) => personalNameHint(c) !== undefined)).toEqual([]);
    expect(personalNameHint('client_ip_address')).toBe('ip address');
    expect(personalNameHint('e_mail')).toBe('email');
  });
});

describe('Adult census data', () => {
  const adult = path.resolve('examples/income/data/adult.data');

  it('has no PII, read as clean values or as raw text with leading spaces', async () => {
    for (const relation of [
      `read_csv(${lit(adult)}, header = true, delim = ', ', nullstr = '?')`,
      `read_csv(${lit(adult)}, header = true, all_varchar = true)`,
    ]) {
      const r = await scan({}, relation);
      expect(r.rowCount).toBe(32561);
      expect(r.columns).toEqual([]);
      expect(r.passed).toBe(true);
    }
  });
});
