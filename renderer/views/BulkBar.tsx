import { useState } from 'react';
import { useApp, useValue } from '../app/context.js';
import { focusTaskRow } from '../app/focus.js';
import { joblogFileName, joblogToCsv } from '../lib/joblogExport.js';

// Bulk actions over the ticked rows, "Retry all failed", and the joblog as a download.

export function BulkBar() {
  const { ui, actions, job: jobStore } = useApp();
  const checked = useValue(ui.checked);
  const job = useValue(jobStore.job);
  const [busy, setBusy] = useState(false);
  const seqs = [...checked].sort((a, b) => a - b);
  const failed = job?.counts.failed ?? 0; // failed, timed out, memory- and stuck-killed
  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await what();
    } finally {
      setBusy(false);
      focusTaskRow(seqs[0] ?? null);
    }
  };
  const download = async (format: 'tsv' | 'csv') => {
    const text = await actions.exportJoblog();
    if (text === null || !job) return;
    const body = format === 'csv' ? joblogToCsv(text) : text;
    const url = URL.createObjectURL(new Blob([body], { type: format === 'csv' ? 'text/csv' : 'text/tab-separated-values' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = joblogFileName(job.name, format);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
      {seqs.length > 0 && (
        <>
          <span className="num">{seqs.length} selected</span>
          <button type="button" className="mini" disabled={busy} onClick={() => void run(() => actions.retryMany(seqs).then(() => ui.checked.set(new Set())))}>
            Retry selected
          </button>
          <button type="button" className="mini danger" disabled={busy} onClick={() => void run(() => actions.killMany(seqs, 'force').then(() => ui.checked.set(new Set())))}>
            Kill selected
          </button>
          <button type="button" className="mini ghost" onClick={() => ui.checked.set(new Set())}>
            Clear selection
          </button>
        </>
      )}
      <button
        type="button"
        className="mini"
        disabled={busy || failed === 0}
        title={failed === 0 ? 'No task has failed' : 'Queue every failed, timed-out and memory-killed task again'}
        onClick={() => void run(async () => actions.retryMany(await actions.failedSeqs()))}
      >
        Retry all failed{failed > 0 ? ` (${failed})` : ''}
      </button>
      <span className="spacer" />
      <button type="button" className="mini ghost" disabled={!job?.joblog} title={job?.joblog ?? 'This run keeps no joblog'} onClick={() => void download('tsv')}>
        Export joblog (TSV)
      </button>
      <button type="button" className="mini ghost" disabled={!job?.joblog} title={job?.joblog ?? 'This run keeps no joblog'} onClick={() => void download('csv')}>
        Export joblog (CSV)
      </button>
    </div>
  );
}
