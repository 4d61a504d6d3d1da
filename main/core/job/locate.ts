// Turns problems found in a parsed YAML document into JobFileIssues with file:line:column and a key path.
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { JobFileIssue } from '../../contract/types.js';

export type KeyPath = readonly (string | number | symbol)[];

/** "stuck.cpuIdle", "inputs.list[2]", 'env["A.B"]'. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(seg))) out += out === '' ? String(seg) : `.${String(seg)}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** "file:line:col: path: message"; the path part is left out when empty, line:col when unknown. */
export function issueText(file: string, line: number, column: number, path: string, message: string): string {
  const where = line > 0 ? `${file}:${line}:${column}` : file;
  return path === '' ? `${where}: ${message}` : `${where}: ${path}: ${message}`;
}

export function makeIssue(file: string, line: number, column: number, path: KeyPath | string, message: string): JobFileIssue {
  const p = typeof path === 'string' ? path : formatPath(path);
  return { file, line, column, path: p, message, text: issueText(file, line, column, p, message) };
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function pairOf(node: unknown, key: string): Pair | undefined {
  return isMap(node) ? node.items.find((p) => keyText(p.key) === key) : undefined;
}

/** Locates values and keys of one document; positions are 1-based. */
export class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  /** Position of a source offset. */
  at(offset: number): { line: number; column: number } {
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  private deref(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The node of the value at path, or, when a key is missing, the deepest mapping that exists. */
  valueNode(path: KeyPath): Node | null {
    let node = this.doc.contents as Node | null;
    for (const seg of path) {
      const here = this.deref(node);
      let next: unknown;
      if (isMap(here)) {
        const pair = pairOf(here, String(seg));
        next = pair ? (pair.value ?? pair.key) : undefined;
      } else if (isSeq(here) && typeof seg === 'number') {
        next = here.items[seg];
      }
      if (next === undefined || next === null) return node;
      node = next as Node;
    }
    return node;
  }

  /** The key node of the last segment of path (for unknown and duplicate keys), else the value. */
  keyNode(path: KeyPath): Node | null {
    const parent = this.deref(this.valueNode(path.slice(0, -1)));
    const pair = pairOf(parent, String(path[path.length - 1]));
    return (pair?.key as Node | undefined) ?? this.valueNode(path);
  }

  position(node: Node | null | undefined): { line: number; column: number } {
    const range = node?.range;
    return range ? this.at(range[0]) : { line: 1, column: 1 };
  }

  issue(path: KeyPath, message: string, where: 'value' | 'key' = 'value'): JobFileIssue {
    const { line, column } = this.position(where === 'key' ? this.keyNode(path) : this.valueNode(path));
    return makeIssue(this.file, line, column, path, message);
  }

  /** Every key that appears twice in one mapping, at its second appearance. */
  duplicateKeys(): JobFileIssue[] {
    const issues: JobFileIssue[] = [];
    const walk = (node: unknown, path: (string | number)[]) => {
      if (isMap(node)) {
        const seen = new Map<string, number>();
        for (const pair of node.items) {
          const key = keyText(pair.key);
          const first = seen.get(key);
          const keyNode = pair.key as Node | null;
          if (first !== undefined) {
            const { line, column } = this.position(keyNode);
            issues.push(makeIssue(this.file, line, column, [...path, key], `duplicate key (first on line ${first})`));
          } else {
            seen.set(key, this.position(keyNode).line);
          }
          walk(pair.value, [...path, key]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => walk(item, [...path, i]));
      }
    };
    walk(this.doc.contents, []);
    return issues;
  }
}

/** Edit distance, for did-you-mean. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The known key a typo most likely meant: edit distance ≤ 2 (ignoring case), or a prefix of 3+ letters. */
export function suggestKey(key: string, known: readonly string[]): string | null {
  const k = key.toLowerCase();
  let best: string | null = null;
  let bestScore = Infinity;
  for (const candidate of known) {
    const c = candidate.toLowerCase();
    const distance = levenshtein(k, c);
    const score = distance <= 2 ? distance : k.length >= 3 && c.startsWith(k) ? 3 : Infinity;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** "unknown key (did you mean "command"?)" or "unknown key (known keys: a, b, c)". */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = suggestKey(key, known);
  return suggestion ? `unknown key (did you mean "${suggestion}"?)` : `unknown key (known keys: ${known.join(', ')})`;
}
