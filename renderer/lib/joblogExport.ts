// The joblog as a download: TSV as written (GNU parallel's format), or CSV for spreadsheets.

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Tab-separated rows to CSV; a command with commas or quotes in it stays one field. */
export function joblogToCsv(tsv: string): string {
  const lines = tsv.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => l.split('\t').map(csvField).join(',')).join('\r\n') + (lines.length ? '\r\n' : '');
}

/** The download's file name: the job's name made safe for any filesystem. */
export function joblogFileName(job: string, format: 'tsv' | 'csv'): string {
  const base = job.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '') || 'job';
  return `${base}.joblog.${format}`;
}
