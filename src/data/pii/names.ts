/**
 * Column names that look personal. A name is split into words (at `_`, `-`, spaces, dots and
 * camelCase humps) and a term matches whole consecutive words, written apart or together:
 * 'first name' matches `first_name`, `FirstName` and `firstname`, 'email' matches `e_mail`; `hostname`,
 * `education-num` and `tip` match nothing. Bare 'name' only counts when it is the whole column
 * name (`product_name` is not personal).
 */
export const PERSONAL_NAME_TERMS = [
  'first name', 'last name', 'full name', 'given name', 'family name', 'middle name', 'maiden name',
  'surname', 'forename', 'user name', 'customer name', 'patient name', 'contact name',
  'email', 'phone', 'phone number', 'telephone', 'mobile number', 'mobile phone', 'cell phone', 'fax',
  'address', 'street', 'zip', 'zip code', 'postcode', 'postal code',
  'ssn', 'social security', 'passport', 'tax id', 'national id', 'driver license', 'drivers license', 'driving licence',
  'dob', 'date of birth', 'birth date', 'birthday',
  'ip', 'ip address', 'ipv4', 'ipv6',
  'iban', 'credit card', 'card number', 'cc number', 'ccn',
] as const;

const TERMS = new Map<string, string>(PERSONAL_NAME_TERMS.map((t) => [t.replaceAll(' ', ''), t]));

export function nameWords(column: string): string[] {
  return column
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The term a column name matches, or undefined. */
export function personalNameHint(column: string): string | undefined {
  const words = nameWords(column);
  if (words.length === 1 && words[0] === 'name') return 'name';
  for (let i = 0; i < words.length; i++) {
    let joined = '';
    let longest: string | undefined;
    for (let j = i; j < words.length; j++) {
      joined += words[j];
      longest = TERMS.get(joined) ?? longest;
    }
    if (longest) return longest;
  }
  return undefined;
}
