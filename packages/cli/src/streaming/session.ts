// One exec/attach session over an open channel WebSocket: remote stdout/stderr to ours, our stdin
// to the remote (with -i; EOF becomes v5's CLOSE signal), the local terminal in raw mode and its
// size sent on the resize channel (with -t), and the final Status read from the error channel.
import { spawnSync } from 'node:child_process';
import type { WebSocket, RawData } from 'ws';
import type { OpenSocket } from './connect.js';
import { channelFrame } from '@mini-kube/machinery';
import { CLOSE, ERROR, outcomeOf, resizeFrame, STDERR, STDIN, STDOUT, type Outcome } from './channels.js';

export interface SessionStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export interface SessionOptions {
  stdin: boolean;
  tty: boolean;
}

const asBuffer = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** Forwards local stdin; returns how to stop reading it. */
function forwardStdin(ws: WebSocket, input: NodeJS.ReadStream): () => void {
  const onData = (chunk: Buffer): void => {
    if (ws.readyState !== ws.OPEN) return;
    input.pause(); // resume once the frame is on the wire: a fast producer cannot fill memory
    ws.send(channelFrame(STDIN, chunk), { binary: true }, () => input.resume());
  };
  const onEnd = (): void => {
    if (ws.readyState === ws.OPEN && ws.protocol.startsWith('v5.')) ws.send(Buffer.from([CLOSE, STDIN]), { binary: true });
  };
  input.on('data', onData);
  input.once('end', onEnd);
  input.on('error', () => {}); // a closed terminal or pipe ends the input, nothing more
  return () => {
    input.off('data', onData);
    input.off('end', onEnd);
    input.destroy(); // otherwise an open pipe or terminal keeps the process alive
  };
}

/** Sends the terminal size now and at every SIGWINCH; returns how to stop. */
function forwardSize(ws: WebSocket, output: NodeJS.WriteStream): () => void {
  if (!output.isTTY) return () => {};
  const send = (): void => {
    if (ws.readyState === ws.OPEN && output.columns && output.rows) ws.send(resizeFrame(output.columns, output.rows), { binary: true });
  };
  send();
  output.on('resize', send);
  return () => output.off('resize', send);
}

/**
 * Raw mode as kubectl sets it: Node's keeps output processing (a newline becomes CR LF), which the
 * remote pseudo-terminal does already; `stty -opost` turns it off (setRawMode(false) restores all).
 */
function makeRaw(input: NodeJS.ReadStream): void {
  input.setRawMode(true);
  spawnSync('stty', ['-opost'], { stdio: [input, 'ignore', 'ignore'] });
}

/** Runs the session until the server closes it; resolves with what its final Status says. */
export function runSession({ ws, early }: OpenSocket, opts: SessionOptions, io: SessionStreams): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const raw = opts.tty && opts.stdin && io.stdin.isTTY;
    if (raw) makeRaw(io.stdin);
    const stops = [opts.stdin ? forwardStdin(ws, io.stdin) : () => {}, opts.tty ? forwardSize(ws, io.stdout) : () => {}];
    let status: string | undefined;
    const finish = (): void => {
      if (raw && !io.stdin.destroyed) io.stdin.setRawMode(false); // before stdin is destroyed below
      for (const stop of stops) stop();
    };
    const onMessage = (data: RawData): void => {
      const buf = asBuffer(data);
      const payload = buf.subarray(1);
      if (buf[0] === STDOUT) io.stdout.write(payload);
      else if (buf[0] === STDERR) io.stderr.write(payload);
      else if (buf[0] === ERROR) status = (status ?? '') + payload.toString('utf8');
    };
    const closed = (): void => {
      finish();
      resolve(outcomeOf(status));
    };
    ws.removeAllListeners('message');
    for (const data of early.splice(0)) onMessage(data);
    ws.on('message', onMessage);
    if (ws.readyState === ws.CLOSED) return closed();
    ws.once('close', closed);
    ws.once('error', (err) => {
      finish();
      reject(err);
    });
  });
}
