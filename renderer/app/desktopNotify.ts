import type { Notice } from '../../main/contract/types.js';

// A desktop notification for what needs attention, only while the window is hidden (when it is
// visible, the toast says the same). Electron's renderer has the same Notification API.

export interface NotifyEnv {
  hidden: () => boolean;
  permission: () => NotificationPermission | 'unsupported';
  show: (title: string, body: string) => void;
}

export function desktopNotifier(env: NotifyEnv): (n: Notice) => void {
  return (n) => {
    if (!env.hidden() || env.permission() !== 'granted') return;
    const title = n.kind === 'job-finished' ? 'Corral: job ended' : n.kind === 'task-stuck' ? 'Corral: task stuck' : 'Corral';
    env.show(title, n.message);
  };
}

export function pageNotifyEnv(): NotifyEnv {
  return {
    hidden: () => document.visibilityState === 'hidden',
    permission: () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
    show: (title, body) => {
      new Notification(title, { body, tag: 'corral' });
    },
  };
}
