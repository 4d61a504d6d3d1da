// A TCP proxy on 127.0.0.1 for partition tests: stall() stops moving bytes while every connection
// stays open (no RST, like a cable pulled mid-route); resume() lets them flow; reset() sends RSTs.
import { createServer, Socket, type Server } from 'node:net';

export class TcpProxy {
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
  #stalled = false;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.#server = createServer((client) => {
      const upstream = new Socket();
      const pair: [Socket, Socket] = [client, upstream];
      this.#pairs.add(pair);
      const end = () => {
        this.#pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      upstream.connect(this.targetPort, '127.0.0.1');
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.#stalled) this.#pause(pair);
    });
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    this.port = (this.#server.address() as { port: number }).port;
  }

  #pause([a, b]: [Socket, Socket]): void {
    a.pause();
    b.pause();
  }

  stall(): void {
    this.#stalled = true;
    for (const p of this.#pairs) this.#pause(p);
  }

  resume(): void {
    this.#stalled = false;
    for (const [a, b] of this.#pairs) {
      a.resume();
      b.resume();
    }
  }

  reset(): void {
    for (const [a, b] of this.#pairs) {
      a.resetAndDestroy();
      b.resetAndDestroy();
    }
  }

  async close(): Promise<void> {
    this.reset();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}
