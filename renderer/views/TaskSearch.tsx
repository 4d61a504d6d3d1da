import { useState, type FormEvent } from 'react';
import type { TaskInfo } from '../../main/contract/types.js';
import { useApp } from '../app/context.js';
import { middleEllipsis } from '../lib/format.js';

// Find a task by a string in its input or in its output (`/` focuses the field). The supervisor
// searches: the page holds only a few pages of rows, and output lives only there.

export const searchFieldId = 'task-search';

type Found = { tasks: TaskInfo[]; more: boolean; text: string; where: 'input' | 'output' } | { error: string } | null;

export function TaskSearch() {
  const { api, ui } = useApp();
  const [text, setText] = useState('');
  const [where, setWhere] = useState<'input' | 'output'>('input');
  const [found, setFound] = useState<Found>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const needle = text.trim();
    if (!needle) {
      setFound({ error: 'Type something to search for.' });
      return;
    }
    setBusy(true);
    const r = await api.searchTasks({ text: needle, in: where, limit: 100 });
    setBusy(false);
    setFound(r.ok ? { ...r.value, text: needle, where } : { error: `Search failed: ${r.error.message}` });
  };

  return (
    <div className="task-search">
      <form role="search" aria-label="Find tasks" onSubmit={(e) => void submit(e)}>
        <input
          id={searchFieldId}
          type="search"
          aria-label="Search tasks"
          placeholder="Find tasks… (/)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setText('');
              setFound(null);
            }
          }}
        />
        <select aria-label="Search in" value={where} onChange={(e) => setWhere(e.target.value as 'input' | 'output')}>
          <option value="input">in inputs</option>
          <option value="output">in output</option>
        </select>
        <button type="submit" disabled={busy}>Search</button>
      </form>
      {found && (
        <div className="search-results" role="status">
          {'error' in found ? (
            <p className="error-text">{found.error}</p>
          ) : found.tasks.length === 0 ? (
            <p className="muted">No task has “{found.text}” in its {found.where === 'input' ? 'input' : 'output'}.</p>
          ) : (
            <>
              <p className="muted">
                {found.tasks.length}
                {found.more ? '+' : ''} {found.tasks.length === 1 ? 'task has' : 'tasks have'} “{found.text}” in {found.where === 'input' ? 'the input' : 'the output'}
                {found.where === 'output' ? ' (as far as output is kept)' : ''}:
              </p>
              <ul aria-label="Search results" className="search-list">
                {found.tasks.map((t) => (
                  <li key={t.seq} data-seq={t.seq}>
                    <button type="button" className="mini" aria-label={`Open task ${t.seq}`} onClick={() => ui.selected.set(t.seq)}>
                      #{t.seq}
                    </button>
                    <span className={`pill s-${t.state}`}>{t.state}</span>
                    <span className="search-input" title={t.input}>{middleEllipsis(t.input, 48)}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
