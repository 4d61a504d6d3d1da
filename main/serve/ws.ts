/*
 * The dashboard's WebSocket protocol (what renderer/api's browser client implements).
 *
 * URL    ws://HOST:PORT/ws — the page's own host and port: new URL('/ws', location.href) with
 *        protocol 'ws:'. The page is served from http://HOST:PORT/.
 * Token  `corral serve` prints http://HOST:PORT/#token=<43 base64url chars>. The fragment never
 *        reaches the server (browsers do not send it). The client reads it from location.hash
 *        (and may drop it from the address bar with history.replaceState) and sends it as a
 *        WebSocket subprotocol, so it never appears in a URL, a log line or the history:
 *            new WebSocket(url, ['corral.v1', 'corral.token.' + token])
 *        The server selects 'corral.v1'. Refusals happen at the HTTP upgrade, before 'open':
 *        401 missing/wrong token, 403 foreign Origin, 421 unexpected Host, 400 no 'corral.v1'.
 *        A browser sees only 'error' then 'close' (code 1006) — say "open the URL printed by
 *        corral serve" rather than retrying forever.
 * Frames text frames, JSON, one object each (see WsClientFrame / WsServerFrame in main/contract):
 *        client → server  { id, method, args }   id: a positive integer, unique per connection
 *        server → client  { id, result }         exactly one per request; Result is
 *                                                { ok: true, value } | { ok: false, error: { code, message, details? } }
 *                         { event: 'tick', payload: Tick }       one per sampling interval
 *                         { event: 'notice', payload: Notice }
 *        Replies may come in any order (calls run concurrently). A frame the server cannot read
 *        (not JSON, no integer id, binary) gets { id: -1, result: { ok: false, error } } with
 *        code INVALID_ARGUMENT; an unknown method gets INVALID_ARGUMENT "unknown method: NAME".
 *        Inbound frames over 8 MiB close the socket (1009).
 * Sync   After 'open', call getSnapshot and then apply ticks whose n > snapshot.tick (buffer
 *        ticks that arrive before the snapshot's reply). Tick n counts up by one per interval.
 * Slow   A client whose send buffer holds more than 1 MiB gets no tick frames; the server merges
 *        the ticks it holds back (tasks: latest record per seq; job, slots, pool, machine: the
 *        newest) and sends one merged tick when the buffer drains. So n may jump: samples of the
 *        skipped intervals are lost (a gap in the charts), task states never are. Over 16 MiB
 *        the server drops the connection; reconnect and take a fresh snapshot.
 * Close  1001 when the server stops. Reconnect with the same token while the server lives.
 */
import type { WebSocket } from 'ws';
import type { CorralService, Notice, Tick, WsServerFrame } from '../contract/index.js';
import { errorResult, guardedCall } from '../contract/index.js';
import { mergeTicks, parseFrame } from '../contract/frames.js';

export { mergeTicks };

export const wsLimits = Object.freeze({
  maxPayload: 8 * 1024 * 1024,
  highWater: 1024 * 1024,
  dropAt: 16 * 1024 * 1024,
});

interface Client {
  ws: WebSocket;
  held: Tick | null;
}

/** Connects WebSocket clients to a service: calls in, ticks and notices out. */
export function createWsHub(service: CorralService, log: (line: string) => void) {
  const clients = new Set<Client>();
  // Rows in the ticks while someone is here to read them (a `corral run --port` supervisor leaves them out otherwise).
  let stopReading: (() => void) | null = null;
  const joined = (c: Client) => {
    clients.add(c);
    stopReading ??= service.readTickRows?.() ?? null;
  };
  const left = (c: Client) => {
    if (!clients.delete(c) || clients.size > 0) return;
    stopReading?.();
    stopReading = null;
  };
  const send = (c: Client, text: string) => {
    if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
  };
  const reply = (c: Client, frame: WsServerFrame) => {
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (err) {
      const id = 'id' in frame ? frame.id : -1;
      text = JSON.stringify({ id, result: errorResult('INTERNAL', `reply could not be serialised: ${(err as Error).message}`) });
    }
    send(c, text);
  };
  const tooFull = (c: Client) => {
    if (c.ws.bufferedAmount <= wsLimits.dropAt) return false;
    log(`corral serve: dropped a WebSocket client that stopped reading (${c.ws.bufferedAmount} bytes queued)`);
    c.ws.terminate();
    return true;
  };

  const onTick = (tick: Tick) => {
    let text: string | null = null; // serialised once for every client that keeps up
    for (const c of clients) {
      if (tooFull(c)) continue;
      const slow = c.ws.bufferedAmount > wsLimits.highWater;
      if (!slow && !c.held) {
        send(c, (text ??= JSON.stringify({ event: 'tick', payload: tick } satisfies WsServerFrame)));
      } else {
        c.held = mergeTicks(c.held, tick);
        if (!slow) {
          reply(c, { event: 'tick', payload: c.held });
          c.held = null;
        }
      }
    }
  };
  const onNotice = (notice: Notice) => {
    const text = JSON.stringify({ event: 'notice', payload: notice } satisfies WsServerFrame);
    for (const c of clients) if (!tooFull(c)) send(c, text);
  };
  const offTick = service.on('tick', onTick);
  const offNotice = service.on('notice', onNotice);

  return {
    add(ws: WebSocket) {
      const c: Client = { ws, held: null };
      joined(c);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return reply(c, { id: -1, result: errorResult('INVALID_ARGUMENT', 'binary frames are not supported') });
        const frame = parseFrame(data.toString());
        if (typeof frame === 'string') return reply(c, { id: -1, result: errorResult('INVALID_ARGUMENT', frame) });
        guardedCall(service, frame.method, frame.args).then(
          (result) => reply(c, { id: frame.id, result }),
          (err: Error) => reply(c, { id: frame.id, result: errorResult('INTERNAL', `internal error: ${err.message}`) }),
        );
      });
      ws.on('close', () => left(c));
      ws.on('error', () => left(c));
    },
    get size() {
      return clients.size;
    },
    close() {
      offTick();
      offNotice();
      for (const c of clients) c.ws.close(1001, 'server stopping');
      for (const c of [...clients]) left(c);
    },
  };
}
