/**
 * PII scanning (issue 3): detectors for emails, phone numbers, IP addresses, card numbers
 * (Luhn), US SSNs and IBANs (mod-97) run in DuckDB over a dataset; personal-looking column
 * names; the per-column policy (block, mask, allow) and the SELECT list that masks.
 */
export { scanPii, formatPiiReport } from './scan.js';
export type { PiiScanOptions, PiiReport, PiiColumn, PiiColumnAction, PiiDetection, PiiViolation } from './scan.js';
export { piiPolicySchema, parsePiiPolicy, piiSalt, maskSelect, PII_ACTIONS, DEFAULT_SALT_ENV } from './policy.js';
export type { PiiPolicy, PiiPolicyInput, PiiAction } from './policy.js';
export { DETECTORS, PII_KINDS, luhn, isCardNumber, isIban, isSsn, isPhone, maskExample } from './detectors.js';
export type { PiiKind, Detector } from './detectors.js';
export { PERSONAL_NAME_TERMS, personalNameHint } from './names.js';
