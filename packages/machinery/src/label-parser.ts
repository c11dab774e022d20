// The `labelSelector` string grammar of labels.Parse, with its lexer rules and error wording:
//   selector    ::= requirement ("," requirement)*
//   requirement ::= ["!"] KEY [ ("in"|"notin") "(" values ")" | ("="|"=="|"!="|">"|"<") VALUE ]
import { badRequest } from './errors.js';
import { isQualifiedName } from './validation.js';
import { newRequirement, selectorFromRequirements, type Operator, type Requirement, type Selector } from './labels.js';

type Tok = 'id' | 'end' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';
interface Token {
  tok: Tok;
  lit: string;
}

const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i]!)) i++;
    if (i >= s.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    if (SYMBOLS.has(s[i]!)) {
      // Every symbol is a token alone; "==" and "!=" are the only longer ones.
      const two = s.slice(i, i + 2);
      const lit = two === '==' || two === '!=' ? two : s[i]!;
      i += lit.length;
      out.push({ tok: lit as Tok, lit });
      continue;
    }
    let word = '';
    while (i < s.length && !SYMBOLS.has(s[i]!) && !isSpace(s[i]!)) word += s[i++];
    out.push({ tok: word === 'in' || word === 'notin' ? word : 'id', lit: word });
  }
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  /** In value position the keywords "in" and "notin" are plain identifiers. */
  private peek(values = true): Token {
    const t = this.tokens[this.pos]!;
    return values && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', lit: t.lit } : t;
  }
  private next(values = true): Token {
    const t = this.peek(values);
    this.pos++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.tok === 'end') return reqs;
      if (t.tok !== 'id' && t.tok !== '!') throw new Error(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
      try {
        reqs.push(this.requirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const sep = this.next();
      if (sep.tok === 'end') return reqs;
      if (sep.tok !== ',') throw new Error(`found '${sep.lit}', expected: ',' or 'end of string'`);
      const after = this.peek();
      if (after.tok !== 'id' && after.tok !== '!') throw new Error(`found '${after.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let t = this.next();
    const negated = t.tok === '!';
    if (negated) t = this.next();
    if (t.tok !== 'id') throw new Error(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    // Checked before the operator, as Go does; its parser's nil field path prints as "<nil>".
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new Error(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const follow = this.peek().tok;
    if (negated || follow === 'end' || follow === ',') {
      // A negated key followed by an operator fails on the caller's separator check, as in Go.
      return newRequirement(key, negated ? '!' : 'exists', []);
    }
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, op, values);
  }


  private operator(): Operator {
    const t = this.next(false);
    switch (t.tok) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return t.tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new Error(`found '${t.lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new Error(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.tok === ')') {
      this.pos++;
      return [''];
    }
    if (first.tok !== 'id' && first.tok !== ',') {
      throw new Error(`found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const values = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.tok === 'id') {
        values.add(t.lit);
        const after = this.peek();
        if (after.tok === ')') break;
        if (after.tok !== ',') throw new Error(`found '${after.lit}', expected: ',' or ')'`);
      } else if (t.tok === ',') {
        // Empty members: "(,a)", "(a,)", "(a,,b)" each add the empty value.
        const after = this.peek().tok;
        if (values.size === 0 || after === ')' || after === ',') values.add('');
        if (after === ')') break;
      } else {
        throw new Error(`found '${t.lit}', expected: ',', or identifier`);
      }
    }
    this.pos++; // the ')'
    return [...values].sort();
  }

  private exactValue(): string[] {
    const t = this.peek();
    if (t.tok === 'end' || t.tok === ',') return [''];
    this.pos++;
    if (t.tok === 'id') return [t.lit];
    throw new Error(`found '${t.lit}', expected: identifier`);
  }
}

/** Parses a `labelSelector` query value; "" selects everything. Bad input throws a 400 StatusError. */
export function parseSelector(s: string): Selector {
  try {
    return selectorFromRequirements(new Parser(lex(s)).parse());
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}
