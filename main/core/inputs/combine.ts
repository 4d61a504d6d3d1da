// Several input sources as one, the way GNU parallel combines `:::` and `::::` sources: every
// combination (the last source varies fastest), or with --link the i-th of each (shorter sources
// wrap around). Computed per index: nothing is stored per combination.
import { joinColumns } from '../job/columns.js';
import { checkIndex, type InputSource } from './source.js';

export function combinedSource(sources: readonly InputSource[], link: boolean): InputSource {
  if (sources.length === 1) return sources[0];
  const lengths = sources.map((s) => s.length);
  const length = lengths.some((n) => n === 0) ? 0 : link ? Math.max(...lengths) : lengths.reduce((a, b) => a * b, 1);
  return {
    kind: 'list',
    length,
    complete: true,
    get(index) {
      checkIndex(index, length);
      if (link) return joinColumns(sources.map((s, i) => s.get(index % lengths[i])));
      const columns = new Array<string>(sources.length);
      let rest = index;
      for (let i = sources.length - 1; i >= 0; i--) {
        columns[i] = sources[i].get(rest % lengths[i]);
        rest = Math.floor(rest / lengths[i]);
      }
      return joinColumns(columns);
    },
    close() {
      for (const s of sources) s.close();
    },
  };
}

/** Each input split at `colsep` (a regular expression) into columns, as parallel's --colsep. */
export function splitSource(source: InputSource, colsep: RegExp): InputSource {
  return {
    get kind() {
      return source.kind;
    },
    get length() {
      return source.length;
    },
    get complete() {
      return source.complete;
    },
    get: (index) => joinColumns(source.get(index).split(colsep)),
    close: () => source.close(),
    onChange: source.onChange && ((listener) => source.onChange!(listener)),
  };
}
