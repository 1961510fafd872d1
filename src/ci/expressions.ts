/**
 * Just enough of the two platforms' condition languages to run a workflow locally:
 * - GitHub: `${{ }}` expressions with context paths (github.ref, steps.<id>.outputs.<name>,
 *   secrets.X, env.X, vars.X, runner.os), 'strings', numbers, ==, !=, &&, ||, !, parentheses, and
 *   always(), success(), failure(), cancelled();
 * - GitLab: `rules: if:` with $VARIABLES, "strings", ==, !=, &&, ||, parentheses.
 * Anything else throws, and the local runner says it skipped what it could not evaluate.
 */

export class UnsupportedExpression extends Error {}

type Token = { t: 'str' | 'num' | 'id' | 'op' | 'var'; v: string };

function tokenize(src: string, gitlab: boolean): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '&&', '||', '=~', '!~'].includes(two)) {
      if (two === '=~' || two === '!~') throw new UnsupportedExpression(`the operator ${two} is not supported locally`);
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!(),'.includes(ch)) {
      out.push({ t: 'op', v: ch });
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let s = '';
      for (; j < src.length; j++) {
        if (src[j] === ch) {
          if (!gitlab && src[j + 1] === ch) {
            s += ch;
            j++;
            continue;
          }
          break;
        }
        s += src[j];
      }
      if (j >= src.length) throw new UnsupportedExpression(`unclosed string in '${src}'`);
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    if (gitlab && ch === '$') {
      const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(src.slice(i));
      if (!m) throw new UnsupportedExpression(`cannot read '${src.slice(i)}'`);
      out.push({ t: 'var', v: m[1] });
      i += m[0].length;
      continue;
    }
    const num = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_.-]*(\[[^\]]+\][A-Za-z0-9_.-]*)*/.exec(src.slice(i));
    if (id && !gitlab) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    throw new UnsupportedExpression(`cannot read '${src.slice(i)}'`);
  }
  return out;
}

type Value = string | number | boolean | null;

export interface GithubContext {
  lookup: (path: string) => Value;
  status: 'success' | 'failure';
}

/** Evaluates a GitHub expression (without the `${{ }}`). */
export function evalGithub(expr: string, ctx: GithubContext): Value {
  return parse(tokenize(expr, false), true, (tok) => ctx.lookup(tok), (name) => {
    switch (name) {
      case 'always':
        return true;
      case 'success':
        return ctx.status === 'success';
      case 'failure':
        return ctx.status === 'failure';
      case 'cancelled':
        return false;
      default:
        throw new UnsupportedExpression(`the function ${name}() is not supported locally`);
    }
  });
}

/** Evaluates a GitLab `rules: if:` condition. */
export function evalGitlab(expr: string, vars: Record<string, string | undefined>): boolean {
  return truthy(parse(tokenize(expr, true), false, (name) => vars[name] ?? null, (name) => {
    throw new UnsupportedExpression(`the function ${name}() is not supported`);
  }));
}

/** Whether a GitHub `if:` uses a status function (otherwise success() is implied). */
export function hasStatusFunction(expr: string): boolean {
  return /\b(always|success|failure|cancelled)\s*\(/.test(expr);
}

export function truthy(v: Value): boolean {
  return v !== null && v !== false && v !== 0 && v !== '';
}

function parse(tokens: Token[], caseInsensitive: boolean, lookup: (name: string) => Value, call: (name: string) => Value): Value {
  let pos = 0;
  const peek = () => tokens[pos];
  const eat = (v: string) => {
    if (peek()?.t === 'op' && peek()?.v === v) {
      pos++;
      return true;
    }
    return false;
  };
  const or = (): Value => {
    let left = and();
    while (eat('||')) {
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): Value => {
    let left = eq();
    while (eat('&&')) {
      const right = eq();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const eq = (): Value => {
    const left = unary();
    if (eat('==')) return loose(left, unary(), caseInsensitive);
    if (eat('!=')) return !loose(left, unary(), caseInsensitive);
    return left;
  };
  const unary = (): Value => {
    if (eat('!')) return !truthy(unary());
    return primary();
  };
  const primary = (): Value => {
    const tok = tokens[pos++];
    if (!tok) throw new UnsupportedExpression('the expression ends too early');
    if (tok.t === 'op' && tok.v === '(') {
      const v = or();
      if (!eat(')')) throw new UnsupportedExpression('a parenthesis is not closed');
      return v;
    }
    if (tok.t === 'str') return tok.v;
    if (tok.t === 'num') return Number(tok.v);
    if (tok.t === 'var') return lookup(tok.v);
    if (tok.t === 'id') {
      if (tok.v === 'true') return true;
      if (tok.v === 'false') return false;
      if (tok.v === 'null') return null;
      if (eat('(')) {
        if (!eat(')')) throw new UnsupportedExpression(`arguments to ${tok.v}() are not supported locally`);
        return call(tok.v);
      }
      return lookup(tok.v);
    }
    throw new UnsupportedExpression(`unexpected '${tok.v}'`);
  };
  const v = or();
  if (pos !== tokens.length) throw new UnsupportedExpression(`unexpected '${tokens[pos].v}'`);
  return v;
}

/** GitHub compares strings ignoring case, GitLab does not; a missing value equals ''. */
function loose(a: Value, b: Value, caseInsensitive: boolean): boolean {
  if (typeof a === 'string' && typeof b === 'string') return caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
  if (a === null || b === null) return (a ?? '') === (b ?? '');
  return a === b;
}

/** Replaces every `${{ expr }}` in a text. */
export function interpolate(text: string, ctx: GithubContext): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expr: string) => {
    const v = evalGithub(expr, ctx);
    return v === null ? '' : String(v);
  });
}
