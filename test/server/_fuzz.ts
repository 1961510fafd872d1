/**
 * A small seeded fuzzer over an OpenAPI document: for each operation it makes requests that are
 * valid-looking (from the JSON Schema), mutated (fields dropped, retyped, oversized, NUL, …) or
 * plain junk (bad JSON, wrong content type, arrays, deep nesting).
 */
import { mulberry32 } from '../../src/random.js';

export type Rng = () => number;

/** mulberry32: the same sequence for the same seed on every machine. */
export const prng: (seed: number) => Rng = mulberry32;

type Schema = Record<string, any>;

export class Fuzzer {
  constructor(
    private readonly rng: Rng,
    /** Strings worth trying: real ids and names, so that requests reach past the lookups. */
    private readonly known: string[],
  ) {}

  int(n: number): number {
    return Math.floor(this.rng() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }

  string(): string {
    const weird = ['', ' ', 'a\u0000b', '../etc/passwd', "'", '"', '%', '_', '\\', 'NaN', 'Infinity', '-1', '1e400', '2147483648', '99999999999999999999', 'null', 'true', '😀', '\ud800', 'x'.repeat(300), 'y'.repeat(7000), "metrics.a > 1 and params.b = 'c'", "name LIKE '%'", 'tags.`a b` != "x"', 'run_id IN (', 'models:/m/1', 'file:///etc', 'eyJvZmZzZXQiOiAtMX0=', 'eyJvZmZzZXQiOiA5OTk5OTk5OTk5OTk5OTk5OX0='];
    const r = this.rng();
    if (r < 0.35 && this.known.length) return this.pick(this.known);
    if (r < 0.75) return this.pick(weird);
    return Array.from({ length: this.int(20) }, () => String.fromCharCode(32 + this.int(95))).join('');
  }

  number(integer: boolean): number {
    const special = [0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e300, 0.5, 1_700_000_000_000];
    if (this.chance(0.5)) return this.pick(special);
    const n = (this.rng() - 0.3) * 10 ** this.int(12);
    return integer ? Math.round(n) : n;
  }

  /** A value shaped by the schema, most of the time. */
  fromSchema(schema: Schema | undefined, depth = 0): unknown {
    if (!schema || depth > 6) return this.junk(depth);
    if (this.chance(0.08)) return this.junk(depth);
    if (schema.anyOf) return this.fromSchema(this.pick(schema.anyOf as Schema[]), depth + 1);
    if (schema.enum) return this.pick(schema.enum as unknown[]);
    if (schema.const !== undefined) return schema.const;
    switch (schema.type) {
      case 'string':
        return this.string();
      case 'integer':
        return this.number(true);
      case 'number':
        return this.number(false);
      case 'boolean':
        return this.chance(0.5);
      case 'array': {
        const length = this.chance(0.05) ? 1200 : this.int(4);
        return Array.from({ length }, () => this.fromSchema(schema.items as Schema, depth + 1));
      }
      case 'object': {
        const out: Record<string, unknown> = {};
        const required = new Set<string>((schema.required as string[]) ?? []);
        for (const [key, sub] of Object.entries((schema.properties as Record<string, Schema>) ?? {})) {
          if (required.has(key) ? this.chance(0.92) : this.chance(0.6)) out[key] = this.fromSchema(sub, depth + 1);
        }
        if (this.chance(0.1)) out[`extra_${this.int(100)}`] = this.junk(depth + 1);
        return out;
      }
    }
    return this.junk(depth);
  }

  junk(depth = 0): unknown {
    const kinds = ['null', 'bool', 'num', 'str', 'arr', 'obj'];
    switch (this.pick(depth > 3 ? kinds.slice(0, 4) : kinds)) {
      case 'null':
        return null;
      case 'bool':
        return this.chance(0.5);
      case 'num':
        return this.number(false);
      case 'str':
        return this.string();
      case 'arr':
        return Array.from({ length: this.int(3) }, () => this.junk(depth + 1));
      default:
        return { [this.string().slice(0, 20)]: this.junk(depth + 1) };
    }
  }

  /** A request body as text, with the content type to send it with. */
  body(schema: Schema | undefined): { text: string | undefined; type: string | undefined } {
    const r = this.rng();
    if (r < 0.7) return { text: JSON.stringify(this.fromSchema(schema)), type: 'application/json' };
    const raw = ['', '{', '[]', '"just a string"', JSON.stringify(JSON.stringify({ a: 1 })), 'null', '1', '{"a":'.repeat(3000), '['.repeat(5000), 'not json at all', '{"run_id": NaN}'];
    return { text: this.pick(raw), type: this.pick(['application/json', 'text/plain', undefined, 'application/json; charset=utf-8', 'multipart/form-data']) };
  }

  /** A query string from the operation's parameters. */
  query(parameters: { name: string; in: string; schema: Schema }[]): string {
    const params = new URLSearchParams();
    for (const p of parameters) {
      if (p.in !== 'query' || !this.chance(0.75)) continue;
      const value = this.fromSchema(p.schema);
      const values = Array.isArray(value) ? value : [value];
      const key = this.chance(0.1) ? `${p.name}[]` : p.name;
      for (const v of values.slice(0, 5)) params.append(key, typeof v === 'string' ? v.replace(/[\ud800-\udfff]/g, '') : JSON.stringify(v) ?? '');
    }
    if (this.chance(0.05)) params.append('%zz', '%');
    return params.toString();
  }
}
