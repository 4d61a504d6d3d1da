import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A renderer folder like vite's output (index.html, assets/app-1234.js), with what a static
 * server must never hand out next to it: ../secret.txt, and link.txt, a symlink pointing at it.
 */
export function fakeRendererDir(): { dir: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'corral-renderer-'));
  const dir = join(root, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Corral</title><script type="module" src="/assets/app-1234.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log("corral")');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer folder');
  symlinkSync(join(root, 'secret.txt'), join(dir, 'link.txt'));
  return { dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
