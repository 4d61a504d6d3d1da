import { useEffect } from 'react';
import type { AppContextValue } from './context.js';
import { focusFirstRow } from './focus.js';
import { searchFieldId } from '../views/TaskSearch.js';

// Global keys for the global actions; ignored while typing in a field or when a dialog is open.

export type ShortcutAction = 'toggle-dispatch' | 'drain' | 'stop-all' | 'kill-all' | 'help' | 'close' | 'search' | 'rows';

export function shortcutFor(key: string, target: { tagName?: string; isContentEditable?: boolean } | null): ShortcutAction | null {
  const tag = target?.tagName?.toUpperCase();
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return null;
  switch (key) {
    case ' ': return tag === 'BUTTON' || tag === 'SUMMARY' ? null : 'toggle-dispatch';
    case 'd': case 'D': return 'drain';
    case 's': case 'S': return 'stop-all';
    case 'k': case 'K': return 'kill-all';
    case '?': return 'help';
    case '/': return 'search';
    // Inside the table the rows handle j/k themselves; elsewhere they jump into it.
    case 'j': case 'k': return target && 'closest' in target && (target as Element).closest('[role=table]') ? null : 'rows';
    case 'Escape': return 'close';
    default: return null;
  }
}

export function useShortcuts(app: AppContextValue): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (app.ui.dialog.get() !== null) return;
      const action = shortcutFor(e.key, e.target as HTMLElement | null);
      if (!action) return;
      const job = app.job.job.get();
      const active = job !== null && ['running', 'paused', 'draining', 'stopping'].includes(job.state);
      switch (action) {
        case 'toggle-dispatch':
          if (!active) return;
          void (job.dispatchPaused ? app.actions.resume() : app.actions.pause());
          break;
        // One keystroke must not stop a whole job: D and S ask first, like K.
        case 'drain':
          if (active) app.ui.dialog.set('drain');
          break;
        case 'stop-all':
          if (active) app.ui.dialog.set('stop-all');
          break;
        case 'search':
          document.getElementById(searchFieldId)?.focus();
          break;
        case 'rows':
          if (!focusFirstRow()) return;
          break;
        case 'kill-all':
          if (active) app.ui.dialog.set('kill-all');
          break;
        case 'help':
          app.ui.dialog.set('shortcuts');
          break;
        case 'close':
          app.ui.selected.set(null);
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [app]);
}
