// Glob inputs. Node 22+ has fs.promises.glob; Node 20 does not, so a small walker with the same
// results stands in: `**`, `*`, `?`, `[abc]`, `{a,b}`; dotfiles only when the pattern says so;
// `**` does not descend into symlinked folders; results sorted, relative to baseDir as written.
import * as fsp from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { posix, resolve } from 'node:path';

type NodeGlob = (pattern: string, options: { cwd: string }) => AsyncIterable<string>;

/** fs.promises.glob when this Node has it (22+), else null. */
export function nodeGlob(): NodeGlob | null {
  const candidate = (fsp as { glob?: unknown }).glob;
  return typeof candidate === 'function' ? (candidate as NodeGlob) : null;
}

/** Paths matching `pattern` under `baseDir`, sorted; "." (the base itself) is never an input. */
export async function globPaths(pattern: string, baseDir: string, impl: 'auto' | 'fallback' = 'auto'): Promise<string[]> {
  const native = impl === 'auto' ? nodeGlob() : null;
  const found = new Set<string>();
  if (native) {
    for await (const p of native(pattern, { cwd: baseDir })) found.add(p);
  } else {
    for (const p of expandBraces(pattern)) await walk(p, baseDir, found);
  }
  found.delete('.');
  found.delete('');
  return [...found].sort();
}

/** "{a,b}x{1,2}" → ["ax1","ax2","bx1","bx2"]; braces without a top-level comma stay literal. */
export function expandBraces(pattern: string): string[] {
  for (let open = pattern.indexOf('{'); open >= 0; open = pattern.indexOf('{', open + 1)) {
    let depth = 0;
    const commas: number[] = [];
    for (let i = open; i < pattern.length; i++) {
      const c = pattern[i];
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === ',' && depth === 1) commas.push(i);
      else if (c === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const cuts = [open, ...commas, i];
        const head = pattern.slice(0, open);
        const tail = pattern.slice(i + 1);
        return cuts.slice(1).flatMap((cut, k) => expandBraces(head + pattern.slice(cuts[k] + 1, cut) + tail));
      }
    }
  }
  return [pattern];
}

/** A regex for one path segment, or null when the segment has no wildcard. */
export function segmentRegex(segment: string): RegExp | null {
  let re = '';
  let magic = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i];
    if (c === '*') {
      re += '[^/]*';
      magic = true;
    } else if (c === '?') {
      re += '[^/]';
      magic = true;
    } else if (c === '[' && segment.indexOf(']', i + 2) > 0) {
      const close = segment.indexOf(']', i + 2);
      let body = segment.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      magic = true;
      i = close;
    } else if (c === '\\' && i + 1 < segment.length) {
      re += escapeRegex(segment[++i]);
      magic = true; // matched by regex so the backslash is not taken literally
    } else {
      re += escapeRegex(c);
    }
  }
  // Like shells and Node's glob, a wildcard does not match a leading dot unless the pattern has one.
  const dot = segment.startsWith('.') ? '' : '(?!\\.)';
  return magic ? new RegExp(`^${dot}${re}$`, 's') : null;
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    return await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return []; // not a folder, gone, or unreadable: nothing matches below it
  }
}

async function exists(path: string, folderOnly: boolean): Promise<boolean> {
  try {
    const st = await fsp.stat(path);
    return !folderOnly || st.isDirectory();
  } catch {
    return folderOnly ? false : fsp.lstat(path).then(() => true, () => false);
  }
}

async function walk(pattern: string, baseDir: string, found: Set<string>): Promise<void> {
  const segments = pattern.split('/');
  // The literal head ("../logs", "/var/log") is where the walk starts; it stays in the output as written.
  let head = 0;
  while (head < segments.length - 1 && segments[head] !== '**' && segmentRegex(segments[head]) === null) head++;
  const prefix = segments.slice(0, head).join('/') || (pattern.startsWith('/') ? '/' : '');
  const start = resolve(baseDir, prefix === '' ? '.' : prefix);
  const rest = segments.slice(head);
  const emit = (rel: string) => found.add(prefix === '' ? rel : posix.join(prefix, rel));

  const step = async (dir: string, rel: string, i: number): Promise<void> => {
    if (i === rest.length) return void emit(rel);
    const seg = rest[i];
    const last = i === rest.length - 1;
    if (seg === '') {
      // a trailing slash: only folders
      if (last && (await exists(dir, true))) emit(rel);
      return;
    }
    if (seg === '**') {
      await step(dir, rel, i + 1);
      for (const entry of await readDir(dir)) {
        if (entry.name.startsWith('.')) continue;
        if (entry.isDirectory()) await step(`${dir}/${entry.name}`, join(rel, entry.name), i);
        else if (last) emit(join(rel, entry.name)); // a final ** matches files too
      }
      return;
    }
    const regex = segmentRegex(seg);
    const names = regex ? (await readDir(dir)).map((e) => e.name).filter((n) => regex.test(n)) : [seg];
    for (const name of names) {
      const path = `${dir}/${name}`;
      if (last) {
        if (regex || (await exists(path, false))) emit(join(rel, name));
      } else {
        await step(path, join(rel, name), i + 1);
      }
    }
  };
  await step(start, '', 0);
}

function join(rel: string, name: string): string {
  return rel === '' ? name : `${rel}/${name}`;
}
