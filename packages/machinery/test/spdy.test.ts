import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DEFAULT_WINDOW,
  encodeFrame,
  FrameParser,
  HeaderCompressor,
  HeaderDecompressor,
  SPDY3_DICTIONARY,
  SpdyConnection,
  type Frame,
  type SpdyStream,
} from '../src/index.js';

describe('spdy frames', () => {
  const frames: Frame[] = [
    { type: 'data', streamId: 7, fin: true, data: Buffer.from('hello') },
    { type: 'data', streamId: 0x7fffffff, fin: false, data: Buffer.alloc(0) },
    { type: 'syn_stream', streamId: 3, associatedId: 1, priority: 5, fin: false, unidirectional: true, headerBlock: Buffer.from([1, 2, 3]) },
    { type: 'syn_reply', streamId: 3, fin: true, headerBlock: Buffer.from([9]) },
    { type: 'headers', streamId: 5, fin: false, headerBlock: Buffer.from([4, 5]) },
    { type: 'rst_stream', streamId: 9, status: 5 },
    { type: 'settings', settings: [{ id: 7, value: 65536, flags: 1 }, { id: 4, value: 100, flags: 0 }] },
    { type: 'ping', id: 0xfffffffe },
    { type: 'goaway', lastGoodStreamId: 11, status: 2 },
    { type: 'window_update', streamId: 1, delta: 12345 },
  ];

  it.each(frames)('round-trips $type', (frame) => {
    expect(new FrameParser().push(encodeFrame(frame))).toEqual([frame]);
  });

  it('parses frames split at every byte and several in one chunk', () => {
    const bytes = Buffer.concat(frames.map(encodeFrame));
    const parser = new FrameParser();
    const parsed: Frame[] = [];
    for (let i = 0; i < bytes.length; i++) parsed.push(...parser.push(bytes.subarray(i, i + 1)));
    expect(parsed).toEqual(frames);
    expect(new FrameParser().push(bytes)).toEqual(frames);
  });

  it('writes the control bit, version 3 and the flags', () => {
    const bytes = encodeFrame({ type: 'syn_reply', streamId: 1, fin: true, headerBlock: Buffer.alloc(0) });
    expect([...bytes.subarray(0, 8)]).toEqual([0x80, 3, 0, 2, 1, 0, 0, 4]);
  });

  it('refuses another SPDY version', () => {
    const bytes = encodeFrame({ type: 'ping', id: 1 });
    bytes[1] = 2;
    expect(() => new FrameParser().push(bytes)).toThrow(/version 2/);
  });
});

describe('spdy header compression', () => {
  it('uses the SPDY/3 dictionary', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex')).toBe('51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
  });

  it('keeps one context across blocks: later blocks shrink and still decode in order', async () => {
    const compressor = new HeaderCompressor();
    const decompressor = new HeaderDecompressor();
    const blocks: Record<string, string>[] = [
      { streamtype: 'error', port: '80', requestid: '0' },
      { streamtype: 'data', port: '80', requestid: '0' },
      { streamtype: 'error', port: '80', requestid: '1' },
      {},
    ];
    const compressed = await Promise.all(blocks.map((h) => compressor.compress(h)));
    expect(compressed[2]!.length).toBeLessThan(compressed[0]!.length);
    for (const [i, block] of compressed.entries()) expect(await decompressor.decompress(block)).toEqual(blocks[i]);
    // A fresh context cannot read a block that depends on earlier ones.
    await expect(new HeaderDecompressor().decompress(compressed[2]!)).rejects.toThrow();
    compressor.close();
    decompressor.close();
  });

  it('lower-cases names', async () => {
    const compressor = new HeaderCompressor();
    const decompressor = new HeaderDecompressor();
    expect(await decompressor.decompress(await compressor.compress({ StreamType: 'data' }))).toEqual({ streamtype: 'data' });
  });
});

describe('spdy connection', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A client and a server connection over a loopback socket pair. */
  async function pair(onStream: (s: SpdyStream) => void): Promise<{ client: SpdyConnection; server: SpdyConnection }> {
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const port = (server.address() as { port: number }).port;
    const clientSocket = connect(port, '127.0.0.1');
    const [serverSocket] = await accepted;
    sockets.push(clientSocket, serverSocket);
    return { client: new SpdyConnection(clientSocket, { server: false }), server: new SpdyConnection(serverSocket, { server: true, onStream }) };
  }

  const collect = async (s: SpdyStream): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const c of s) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };

  it('opens streams with headers and carries > 1 MiB both ways with flow control', async () => {
    const seen: Record<string, string>[] = [];
    const { client } = await pair((stream) => {
      seen.push(stream.headers);
      stream.reply({ ok: 'yes' });
      // Echo, slowly at first: the client must wait for window updates.
      stream.pause();
      setTimeout(() => stream.resume(), 100);
      stream.pipe(stream);
    });
    const stream = await client.openStream({ streamType: 'data', port: '80' });
    expect(stream.replyHeaders).toEqual({ ok: 'yes' });
    expect(seen).toEqual([{ streamtype: 'data', port: '80' }]);
    const body = randomBytes(3 * 1024 * 1024 + 17);
    const echoed = collect(stream);
    stream.end(body);
    const got = await echoed;
    expect(got.length).toBe(body.length);
    expect(got.equals(body)).toBe(true);
    // The sender never got more than a window ahead of the reader.
    expect(stream.sendWindow).toBeGreaterThan(-1);
    expect(stream.sendWindow).toBeLessThanOrEqual(DEFAULT_WINDOW);
  });

  it('stops sending at the peer\'s 64 KiB window until the reader consumes', async () => {
    let serverStream: SpdyStream | undefined;
    const { client } = await pair((stream) => {
      serverStream = stream;
      stream.pause();
      stream.reply();
    });
    const stream = await client.openStream({});
    const body = randomBytes(256 * 1024);
    const written = new Promise<void>((resolve) => stream.end(body, resolve));
    await vi.waitFor(() => expect(stream.waitingForWindow).toBeDefined());
    await vi.waitFor(() => expect(serverStream!.readableLength).toBe(DEFAULT_WINDOW));
    expect(stream.sendWindow).toBe(0);
    const received = collect(serverStream!);
    await written;
    expect((await received).equals(body)).toBe(true);
  });

  it('runs many streams at once, each with its own data', async () => {
    const { client } = await pair((stream) => {
      stream.reply();
      stream.end(`id=${stream.headers.requestid}`);
      stream.resume();
    });
    const streams = await Promise.all(Array.from({ length: 20 }, (_, i) => client.openStream({ requestid: String(i) })));
    const bodies = await Promise.all(streams.map(async (s) => (s.end(), (await collect(s)).toString())));
    expect(bodies).toEqual(streams.map((_, i) => `id=${i}`));
  });

  it('resets a stream: the other side sees an error, and a refused stream rejects openStream', async () => {
    let serverStream: SpdyStream | undefined;
    const { client } = await pair((stream) => {
      if (stream.headers.refuse) return stream.reset(3);
      serverStream = stream;
      stream.reply();
    });
    await expect(client.openStream({ refuse: '1' })).rejects.toThrow(/reset/);
    const stream = await client.openStream({});
    const errored = once(stream, 'error');
    serverStream!.reset(5);
    const [err] = (await errored) as [Error];
    expect(err.message).toMatch(/reset by peer \(status 5\)/);
  });

  it('answers pings and ends streams when the connection closes', async () => {
    const { client, server: srv } = await pair((stream) => stream.reply());
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    expect(await srv.ping()).toBeGreaterThanOrEqual(0);
    const stream = await client.openStream({});
    const failed = once(stream, 'error');
    const closed = once(client, 'close');
    srv.destroy();
    await closed;
    expect(((await failed) as [Error])[0].message).toMatch(/connection/);
    await expect(client.openStream({})).rejects.toThrow(/closed/);
  });
});
