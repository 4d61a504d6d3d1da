import type { Socket } from 'node:net';

/** Newline-delimited JSON over a stream socket: JSON.stringify never writes a raw newline. */
export function onLines(socket: Socket, maxLine: number, each: (line: string) => void, tooLong: () => void): void {
  let carry = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let text = carry + chunk;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n')) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      if (line) each(line);
    }
    carry = text;
    if (carry.length > maxLine) {
      carry = '';
      tooLong();
    }
  });
}
