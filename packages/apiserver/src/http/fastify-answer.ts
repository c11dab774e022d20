// The HTTP side of an Exchange: a Fastify request becomes one, an Answer goes out through the reply.
import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Answer, Exchange, Query, StreamSink } from './exchange.js';

export function exchangeOf(req: FastifyRequest): Exchange {
  return { method: req.method, path: req.url.split('?')[0]!, query: req.query as Query, headers: req.headers, body: req.body as Buffer | undefined };
}

export async function sendAnswer(reply: FastifyReply, answer: Answer): Promise<FastifyReply> {
  const { body } = answer;
  if (typeof body === 'function') {
    // A watch: headers at once, then lines as they come, on the raw response.
    reply.hijack();
    const res = reply.raw;
    res.writeHead(answer.code, { ...answer.headers, 'Content-Type': answer.contentType, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    await body(responseSink(res));
    return reply;
  }
  if (answer.headers) reply.headers(answer.headers);
  // A stream (a list, a log that follows) stops when the client goes away.
  if (typeof body === 'object' && !Buffer.isBuffer(body)) reply.raw.on('close', () => (body as { destroy?: () => void }).destroy?.());
  return reply.code(answer.code).type(answer.contentType).send(body);
}

/** A sink over an HTTP response whose headers are sent. */
function responseSink(res: ServerResponse): StreamSink {
  return {
    write: (chunk) => void res.write(chunk),
    end: () => {
      if (!res.writableEnded) res.end();
    },
    get closed() {
      return res.destroyed || res.writableEnded;
    },
    onClose: (listener) => void res.on('close', listener),
  };
}
