// Where focus goes after an action re-rendered the control that had it (a row's "Stop" button
// becomes "Kill" a tick later; a bulk bar vanishes): back to the task's row, never the page body.

/** How long after an action its control may still vanish (a tick or two on a loaded machine). */
const watchMs = 5000;

export function focusTaskRow(seq: number | null): void {
  const from = document.activeElement;
  const until = performance.now() + watchMs;
  const check = () => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) {
      // Still on the control that acted: wait for it to go. Elsewhere: the user moved on.
      if (active === from && performance.now() < until) requestAnimationFrame(check);
      return;
    }
    const table = document.querySelector('[role=table][aria-label="Tasks"]');
    const row =
      (seq !== null ? table?.querySelector<HTMLElement>(`[role=row][data-seq="${seq}"]`) : null) ??
      table?.querySelector<HTMLElement>('[role=row][data-index]');
    row?.focus();
  };
  requestAnimationFrame(check);
}

/** The first row of the task table, for j/k from anywhere on the page. */
export function focusFirstRow(): boolean {
  const row = document.querySelector<HTMLElement>('[role=table][aria-label="Tasks"] [role=row][data-index]');
  row?.focus();
  return row !== null;
}
