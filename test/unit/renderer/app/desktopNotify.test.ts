import { describe, expect, it } from 'vitest';
import { desktopNotifier } from '../../../../renderer/app/desktopNotify.js';

describe('desktop notifications', () => {
  const run = (hidden: boolean, permission: NotificationPermission | 'unsupported') => {
    const shown: string[] = [];
    desktopNotifier({ hidden: () => hidden, permission: () => permission, show: (t, b) => shown.push(`${t} | ${b}`) })({
      level: 'warn', kind: 'task-stuck', taskSeq: 4, message: 'task 4 looks stuck: silent', time: 0,
    });
    return shown;
  };
  it('notify only while the window is hidden and the user allowed it', () => {
    expect(run(true, 'granted')).toEqual(['Corral: task stuck | task 4 looks stuck: silent']);
    expect(run(false, 'granted')).toEqual([]);
    expect(run(true, 'default')).toEqual([]);
    expect(run(true, 'unsupported')).toEqual([]);
  });
});
