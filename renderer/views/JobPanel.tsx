import { useEffect, useMemo, useRef, useState } from 'react';
import { useApp, useValue } from '../app/context.js';

// Load a job: open a file (picker or drop), type a path, or paste YAML. Validation problems are
// shown at their line in the editor's gutter and listed with their full text.

export function JobPanel({ open = true }: { open?: boolean }) {
  const { actions, job: jobStore, ui, pathForFile } = useApp();
  const job = useValue(jobStore.job);
  const jobText = useValue(jobStore.jobText);
  const issues = useValue(ui.jobIssues);
  const [text, setText] = useState(jobText ?? '');
  const [path, setPath] = useState('');
  const [dragging, setDragging] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const gutterRef = useRef<HTMLDivElement>(null);
  const edited = useRef(false);

  // Show the loaded job's text unless the user is editing their own.
  useEffect(() => {
    if (!edited.current && jobText !== null) setText(jobText);
  }, [jobText]);

  const lines = useMemo(() => Math.max(1, text.split('\n').length), [text]);
  const issueLines = useMemo(() => {
    const m = new Map<number, string>();
    for (const i of issues) if (i.line > 0) m.set(i.line, m.has(i.line) ? `${m.get(i.line)}\n${i.message}` : i.message);
    return m;
  }, [issues]);

  const openFile = async (file: File) => {
    const p = pathForFile?.(file);
    if (p) {
      setPath(p);
      await actions.loadPath(p);
      return;
    }
    const content = await file.text();
    edited.current = true;
    setText(content);
    await actions.loadText(content);
  };

  const canStart = job?.state === 'ready';
  // The supervisor refuses a new job while one runs: say so here instead of failing a click.
  const locked = job !== null && ['running', 'paused', 'draining', 'stopping'].includes(job.state);
  return (
    <section
      aria-label="Job"
      className={`panel job-panel ${dragging ? 'dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const f = e.dataTransfer.files[0];
        if (f && !locked) void openFile(f);
      }}
    >
      <details open={open}>
        <summary><h2>Job file</h2></summary>
        <div className="job-open">
          <button type="button" onClick={() => fileRef.current?.click()} disabled={locked}>Open job file…</button>
          <input
            ref={fileRef}
            type="file"
            accept=".yaml,.yml,.json"
            hidden
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void openFile(f);
              e.target.value = '';
            }}
          />
          <form
            className="path-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (path.trim()) void actions.loadPath(path.trim());
            }}
          >
            <input type="text" aria-label="Open from path" placeholder="/path/to/job.yaml" value={path} disabled={locked} onChange={(e) => setPath(e.target.value)} />
            <button type="submit" disabled={locked || !path.trim()}>Open path</button>
          </form>
        </div>
        <p className="muted hint" id="job-file-hint">
          {locked ? 'A job is running: stop or drain it, and wait for it to end, before loading another.' : '…or drop a file here, or paste YAML/JSON below.'}
        </p>
        <div className="editor">
          <div ref={gutterRef} className="gutter" aria-hidden="true">
            {Array.from({ length: lines }, (_, i) => (
              <div key={i} className={issueLines.has(i + 1) ? 'gutter-error' : ''} title={issueLines.get(i + 1)}>
                {issueLines.has(i + 1) ? '●' : i + 1}
              </div>
            ))}
          </div>
          <textarea
            aria-label="Job file"
            aria-describedby="job-file-hint"
            readOnly={locked}
            spellCheck={false}
            value={text}
            placeholder={'name: compress-logs\ncommand: xz -9 -k {}\ninputs:\n  glob: "logs/*.log"'}
            onChange={(e) => {
              edited.current = true;
              setText(e.target.value);
            }}
            onScroll={(e) => {
              if (gutterRef.current) gutterRef.current.scrollTop = e.currentTarget.scrollTop;
            }}
          />
        </div>
        {issues.length > 0 && (
          // The alert wraps the list: role="alert" on the <ul> itself would orphan its <li>s.
          <div role="alert">
            <ul className="issues" aria-label="Job file problems">
              {issues.map((i, k) => (
                <li key={k}>
                  <span className="num issue-line">{i.line > 0 ? `line ${i.line}${i.column > 0 ? `:${i.column}` : ''}` : 'file'}</span>
                  <span>{i.text}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
        <div className="job-buttons">
          <button type="button" onClick={() => void actions.loadText(text)} disabled={locked || !text.trim()}>Load job</button>
          <button type="button" className="primary" onClick={() => void actions.start()} disabled={!canStart}>Start</button>
        </div>
      </details>
    </section>
  );
}
