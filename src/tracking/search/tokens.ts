/** The tokens of a search filter: identifiers, operators, quoted strings, numbers, lists. */
import { SluiceError } from '../../errors.js';

export interface Token {
  kind: 'identifier' | 'operator' | 'string' | 'number' | 'open' | 'close' | 'comma' | 'and' | 'word';
  /** The source text (operators upper-cased and normalised: `<>` is `!=`). */
  text: string;
  /** Identifiers: the entity prefix before the first dot (`metrics`), if any, and the key. */
  prefix?: string;
  key?: string;
  /** Strings and numbers: the value. */
  value?: string | number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_]\w*/;
const BARE_KEY = /^[\w.]+/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new SluiceError('USAGE', `Cannot parse filter at character ${i + 1}: ${why}`, {
      where: source,
      hint: "Quote string values ('x' or \"x\"), and keys with special characters (tags.\"my key\" or tags.`my key`).",
    });
  };
  const quoted = (quote: string): string => {
    let out = '';
    i++;
    for (;;) {
      if (i >= source.length) fail(`unterminated ${quote}…${quote}`);
      const ch = source[i++];
      if (ch !== quote) out += ch;
      else if (source[i] === quote) (out += quote), i++; // a doubled quote stands for itself
      else return out;
    }
  };
  while (i < source.length) {
    const ch = source[i];
    const rest = source.slice(i);
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'open' : ch === ')' ? 'close' : 'comma', text: ch });
      i++;
    } else if (ch === "'" || ch === '"') {
      const start = i;
      const value = quoted(ch);
      tokens.push({ kind: 'string', text: source.slice(start, i), value });
    } else if (/^(?:!=|<>|>=|<=|=|>|<)/.test(rest)) {
      const op = /^(?:!=|<>|>=|<=|=|>|<)/.exec(rest)![0];
      tokens.push({ kind: 'operator', text: op === '<>' ? '!=' : op });
      i += op.length;
    } else if (NUMBER.test(rest) && !/^[A-Za-z_]/.test(ch)) {
      const text = NUMBER.exec(rest)![0];
      tokens.push({ kind: 'number', text, value: Number(text) });
      i += text.length;
    } else if (ch === '`' || WORD.test(rest)) {
      tokens.push(identifierOrWord());
    } else {
      fail(`unexpected '${ch}'`);
    }
  }
  return combineKeywords(tokens);

  function identifierOrWord(): Token {
    const start = i;
    const head = source[i] === '`' ? quoted('`') : (i += WORD.exec(source.slice(i))![0].length, source.slice(start, i));
    if (source[i] !== '.') {
      const upper = head.toUpperCase();
      if (source[start] !== '`' && ['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE'].includes(upper)) {
        return upper === 'AND' ? { kind: 'and', text: 'AND' } : { kind: 'word', text: upper };
      }
      return { kind: 'identifier', text: source.slice(start, i), key: head };
    }
    i++; // the dot
    let key: string;
    const q = source[i];
    if (q === '"' || q === "'" || q === '`') key = quoted(q);
    else {
      const m = BARE_KEY.exec(source.slice(i));
      if (!m) fail(`expected a key after '${head}.'`);
      key = m![0];
      i += key.length;
    }
    return { kind: 'identifier', text: source.slice(start, i), prefix: head, key };
  }
}

/** LIKE, ILIKE, IN, NOT IN, IS NULL, IS NOT NULL become operator tokens. */
function combineKeywords(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = (k: number) => (tokens[i + k]?.kind === 'word' ? tokens[i + k].text : undefined);
    if (t.kind !== 'word') out.push(t);
    else if (t.text === 'LIKE' || t.text === 'ILIKE' || t.text === 'IN') out.push({ kind: 'operator', text: t.text });
    else if (t.text === 'NOT' && next(1) === 'IN') out.push({ kind: 'operator', text: 'NOT IN' }), i++;
    else if (t.text === 'IS' && next(1) === 'NULL') out.push({ kind: 'operator', text: 'IS NULL' }), i++;
    else if (t.text === 'IS' && next(1) === 'NOT' && next(2) === 'NULL') out.push({ kind: 'operator', text: 'IS NOT NULL' }), (i += 2);
    else out.push(t);
  }
  return out;
}
