import { describe, expect, it } from 'vitest';
import { confirmQuit, WindowKeeper, type KeptWindow } from '../../../main/app/windowKeeper.js';

// A window that records what was done to it and can be closed like a real one.
class FakeWindow implements KeptWindow {
  calls: string[] = [];
  destroyed = false;
  minimized = false;
  #closed: Array<() => void> = [];
  isDestroyed = () => this.destroyed;
  isMinimized = () => this.minimized;
  restore = () => void this.calls.push('restore');
  show = () => void this.calls.push('show');
  focus = () => void this.calls.push('focus');
  once(_e: 'closed', l: () => void) {
    this.#closed.push(l);
  }
  close() {
    this.destroyed = true;
    this.#closed.forEach((l) => l());
  }
}

const keeper = () => {
  const made: FakeWindow[] = [];
  return { made, k: new WindowKeeper(() => (made.push(new FakeWindow()), made[made.length - 1])) };
};

describe('WindowKeeper (item 5)', () => {
  it('second instance with the window open: restores, shows and focuses it, makes no other', () => {
    const { made, k } = keeper();
    const w = k.ensure();
    w.minimized = true;
    expect(k.ensure()).toBe(w);
    expect(w.calls).toEqual(['restore', 'show', 'focus']);
    expect(made).toHaveLength(1);
  });

  it('second instance after the window was closed: creates a new one', () => {
    const { made, k } = keeper();
    k.ensure().close();
    expect(k.current).toBeNull();
    const w = k.ensure();
    expect(made).toHaveLength(2);
    expect(k.current).toBe(w);
  });

  it('a destroyed window that has not sent closed yet is not reused', () => {
    const { made, k } = keeper();
    k.ensure().destroyed = true;
    k.ensure();
    expect(made).toHaveLength(2);
  });

  it('the old window’s late closed event does not forget the new one', () => {
    const { made, k } = keeper();
    const first = k.ensure();
    first.destroyed = true;
    const second = k.ensure();
    first.close();
    expect(k.current).toBe(second);
    expect(made).toHaveLength(2);
  });
});

describe('confirmQuit (item 5)', () => {
  const steps = (running: boolean, answer: boolean) => {
    const log: string[] = [];
    return {
      log,
      s: {
        hasRunningTasks: () => running,
        confirm: async () => (log.push('ask'), answer),
        stop: async () => void log.push('stop'),
        quit: () => void log.push('quit'),
        keepWindow: () => void log.push('window'),
      },
    };
  };

  it('Cancel with tasks running: no stop, no quit, a window is brought back', async () => {
    const { log, s } = steps(true, false);
    expect(await confirmQuit(s)).toBe(false);
    expect(log).toEqual(['ask', 'window']);
  });

  it('Cancel after the last window closed (Windows/Linux): the window is recreated, not left missing', async () => {
    const { made, k } = keeper();
    k.ensure().close(); // window-all-closed → app.quit() → before-quit
    const { s } = steps(true, false);
    await confirmQuit({ ...s, keepWindow: () => void k.ensure() });
    expect(made).toHaveLength(2);
    expect(k.current).not.toBeNull();
  });

  it('confirmed: stops the tasks, then quits', async () => {
    const { log, s } = steps(true, true);
    expect(await confirmQuit(s)).toBe(true);
    expect(log).toEqual(['ask', 'stop', 'quit']);
  });

  it('nothing running: quits without asking', async () => {
    const { log, s } = steps(false, false);
    expect(await confirmQuit(s)).toBe(true);
    expect(log).toEqual(['stop', 'quit']);
  });
});
