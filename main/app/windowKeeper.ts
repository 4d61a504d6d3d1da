// The one main window, recreated on demand: a second launch, the dock icon, or a quit the user
// cancelled after the last window was closed (Windows/Linux) must never leave Corral running unseen.

export interface KeptWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  once(event: 'closed', listener: () => void): unknown;
}

export class WindowKeeper<W extends KeptWindow> {
  #win: W | null = null;

  constructor(private readonly create: () => W) {}

  /** The window, if one is open. */
  get current(): W | null {
    return this.#win && !this.#win.isDestroyed() ? this.#win : null;
  }

  /** Shows and focuses the window, creating it when there is none. */
  ensure(): W {
    const open = this.current;
    if (open) {
      if (open.isMinimized()) open.restore();
      open.show();
      open.focus();
      return open;
    }
    const win = this.create();
    this.#win = win;
    win.once('closed', () => {
      if (this.#win === win) this.#win = null;
    });
    return win;
  }
}

export interface QuitSteps {
  hasRunningTasks(): boolean;
  /** Asks the user; true = stop the tasks and quit */
  confirm(): Promise<boolean>;
  stop(): Promise<void>;
  quit(): void;
  /** Cancelled: bring a window back (the last one may be closed already) */
  keepWindow(): void;
}

/** before-quit: asks when tasks run; Cancel keeps Corral on screen, otherwise stop then quit. Returns whether it quit. */
export async function confirmQuit(steps: QuitSteps): Promise<boolean> {
  if (steps.hasRunningTasks() && !(await steps.confirm())) {
    steps.keepWindow();
    return false;
  }
  await steps.stop();
  steps.quit();
  return true;
}
