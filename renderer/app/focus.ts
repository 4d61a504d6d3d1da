// Where focus goes after an action re-rendered the control that had it (a row's "Stop" button
// becomes "Kill"; a bulk bar vanishes): back to the task's row, never the page body.

export function focusTaskRow(seq: number | null): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const table = document.querySelector('[role=table][aria-label="Tasks"]');
    const row =
      (seq !== null ? table?.querySelector<HTMLElement>(`[role=row][data-seq="${seq}"]`) : null) ??
      table?.querySelector<HTMLElement>('[role=row][data-index]');
    row?.focus();
  });
}

/** The first row of the task table, or the row after/before the focused one, for j/k from anywhere. */
export function focusFirstRow(): boolean {
  const row = document.querySelector<HTMLElement>('[role=table][aria-label="Tasks"] [role=row][data-index]');
  row?.focus();
  return row !== null;
}
