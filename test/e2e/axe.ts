import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { repoRoot } from './helpers.js';

// axe-core run inside the page. The dashboard's CSP (script-src 'self') refuses the inline
// <script> that page.addScriptTag writes; page.evaluate goes through the DevTools protocol,
// which CSP does not govern, so the page under test keeps its real policy.

export const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

const axeSource = readFileSync(join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs the WCAG A/AA rules on the whole document; `rulesPassed` shows axe really checked something. */
export async function runAxe(page: Page): Promise<{ violations: AxeViolation[]; rulesPassed: number }> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    const violations = r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }));
    return { violations, rulesPassed: r.passes.length };
  }, wcagTags);
}

/** One line per offending element: rule id, impact, CSS target, axe's summary of what to fix. */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string {
  const lines = violations.flatMap((v) =>
    v.nodes.map((n) => `[${where}] ${v.id} (${v.impact ?? 'n/a'}) ${n.target.join(' ')}: ${v.help} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
  );
  return lines.join('\n');
}

export const axeSizes = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;

/** Every rule in both colour schemes at 1440×900 and 1024×700; the test fails on any violation. */
export async function expectNoViolations(page: Page, where: string): Promise<void> {
  for (const size of axeSizes) {
    await page.setViewportSize(size);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // Chart colours come from a matchMedia listener: let React draw the new scheme first.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const { violations, rulesPassed } = await runAxe(page);
      const at = `${where}, ${scheme}, ${size.width}×${size.height}`;
      expect(rulesPassed, `axe checked rules on ${at}`).toBeGreaterThan(10);
      const report = describeViolations(at, violations);
      if (report) console.log(report);
      expect.soft(report).toBe('');
    }
  }
  await page.setViewportSize(axeSizes[0]);
}
