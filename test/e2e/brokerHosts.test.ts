// `corral serve --broker`: the broker run in the dashboard with its hosts table. Two agents on a
// private Redis: both listed up; one SIGKILLed is shown lost within seconds and its tasks requeued.
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Cluster, join } from '../integration/broker/cluster.js';
import { expectNoViolations } from './axe.js';
import { closeBrowser, openPage, repoRoot, serve, waitFor, type Served } from './helpers.js';

describe('a broker run in the dashboard', () => {
  const c = new Cluster();
  let served: Served | null = null;
  afterAll(async () => {
    await served?.stop();
    await closeBrowser();
    await c.dispose();
  });

  it('lists both agents in the hosts table; a SIGKILLed agent shows lost and its tasks go back to the queue', async () => {
    await c.start(2, 2);
    const job = join(c.dir, 'job.yaml');
    writeFileSync(job, 'name: broker-e2e\ncommand: sleep 60 # {}\ninputs: { range: { from: 1, to: 8 } }\n');
    served = await serve(['--broker', c.redis.url, job], { stateDir: c.state });
    const page = await openPage(served.url);
    const hosts = page.getByRole('table', { name: 'Hosts' });
    const row = (name: string) => hosts.getByRole('row', { name: new RegExp(`^${name} `) });
    await waitFor('both agents listed up', async () => (await row('a1').getAttribute('data-state')) === 'up' && (await row('a2').getAttribute('data-state')) === 'up', 60_000);
    await waitFor('every slot of a2 busy', async () => /2 of 2/.test((await row('a2').textContent()) ?? ''), 60_000);
    await expectNoViolations(page, 'hosts table, both up');

    const killedAt = Date.now();
    process.kill(-c.agents[1].child.pid!, 'SIGKILL');
    await waitFor('a2 shown lost', async () => (await row('a2').getAttribute('data-state')) === 'lost', 30_000);
    const shownMs = Date.now() - killedAt;
    console.log(`hosts table: a2 shown lost ${shownMs} ms after SIGKILL`);
    expect(shownMs).toBeLessThan(20_000);
    // Its two tasks: the broker hands them back (lost rows), the event log says so.
    const log = page.getByRole('region', { name: 'Event log' });
    await waitFor('the event log names the lost host', async () => (await log.getByText(/host a2 lost/).count()) > 0, 30_000);
    await waitFor('its tasks requeued', async () => (await log.getByText(/lost with a2; it runs again/).count()) > 0, 60_000);
    expect(await row('a1').getAttribute('data-state')).toBe('up');
    await expectNoViolations(page, 'hosts table, one lost');
    if (process.env.CORRAL_SCREENSHOTS === '1') await page.screenshot({ path: join(repoRoot, 'docs/screenshot-hosts.png'), fullPage: true });
  });
});
