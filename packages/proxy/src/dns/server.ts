// The DNS server's sockets: UDP and TCP (messages framed by a 2-byte length) on its own addresses,
// UDP alone on the others (the cluster IP, whose TCP the service proxy forwards here). Each query is
// decoded with dns-packet, answered by resolve.ts from the current records, or forwarded upstream.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { forward, withLength, type Upstream } from './forward.js';
import { buildRecords, type ClusterRecords } from './records.js';
import { resolve, type Resolution } from './resolve.js';

/** What a UDP answer may hold without EDNS0 (RFC 1035); larger ones are truncated (TC). */
const UDP_MAX = 512;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4 } as const;
const EMPTY = buildRecords([], []);

export interface DnsServerOptions {
  /** Addresses answering over UDP and TCP. */
  addresses: string[];
  /** Addresses answering over UDP only. */
  udpOnlyAddresses?: string[];
  port: number;
  /** The cluster domain, e.g. `cluster.local`. */
  zone: string;
  /** The records now; undefined until the caches have synced (cluster names get SERVFAIL then). */
  records(): ClusterRecords | undefined;
  /** Where other names go (read at each query). */
  upstreams(): Upstream[];
  log?(message: string): void;
}

export class DnsServer {
  private readonly udp: UdpSocket[] = [];
  private readonly tcp: Server[] = [];
  private readonly connections = new Set<Socket>();
  private readonly zone: string;
  private readonly serial = Math.floor(Date.now() / 1000) >>> 0;

  constructor(private readonly opts: DnsServerOptions) {
    this.zone = opts.zone.toLowerCase().replace(/\.$/, '');
  }

  /** Binds every socket; if one cannot be bound, closes the others and rejects. */
  async listen(): Promise<void> {
    const { addresses, udpOnlyAddresses = [], port } = this.opts;
    try {
      for (const address of [...addresses, ...udpOnlyAddresses]) this.udp.push(await this.bindUdp(address, port));
      for (const address of addresses) this.tcp.push(await this.bindTcp(address, port));
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    for (const socket of this.udp.splice(0)) socket.close();
    for (const c of this.connections) c.destroy();
    await Promise.all(this.tcp.splice(0).map((s) => new Promise((done) => s.close(done))));
  }

  /** The response to one query message, or undefined when it deserves none (not a query, undecodable). */
  async answer(query: Buffer, overTcp: boolean): Promise<Buffer | undefined> {
    let packet: DecodedPacket;
    try {
      packet = dnsPacket.decode(query);
    } catch {
      return undefined;
    }
    if (packet.type !== 'query') return undefined;
    const questions = packet.questions ?? [];
    const reply = replies(packet);
    if ((packet as DecodedPacket & { opcode?: string }).opcode !== 'QUERY') return reply(RCODE.NOTIMP);
    if (questions.length !== 1) return reply(RCODE.FORMERR);
    try {
      return await this.respond(query, packet, overTcp, reply);
    } catch (err) {
      this.opts.log?.(`cannot answer ${questions[0]!.name} ${questions[0]!.type}: ${(err as Error).message}`);
      return reply(RCODE.SERVFAIL);
    }
  }

  private async respond(query: Buffer, packet: DecodedPacket, overTcp: boolean, reply: Reply): Promise<Buffer> {
    const q = packet.questions![0]!;
    const records = this.opts.records();
    const outcome = resolve(q.name, q.type, records ?? EMPTY, this.zone, this.serial);
    if ('forward' in outcome) return (await forward(query, this.opts.upstreams(), overTcp)) ?? reply(RCODE.SERVFAIL);
    if (!records) return reply(RCODE.SERVFAIL);
    const answers = [...outcome.answers, ...(outcome.chase ? await this.chase(outcome.chase, q.type, overTcp) : [])];
    const body = { answers, additionals: [...outcome.additionals, ...edns(packet)], authorities: answers.length ? [] : outcome.authorities };
    const full = reply(RCODE[outcome.rcode], body, AUTHORITATIVE);
    // Too big for UDP: the header alone, truncated, and the client retries over TCP.
    return overTcp || full.length <= udpLimit(packet) ? full : reply(RCODE[outcome.rcode], {}, AUTHORITATIVE | dnsPacket.TRUNCATED_RESPONSE);
  }

  /** The records of an ExternalName's target: resolved here when it is a cluster name, else upstream. */
  private async chase(target: string, type: Answer['type'], overTcp: boolean): Promise<Answer[]> {
    const local = resolve(target, type, this.opts.records() ?? EMPTY, this.zone, this.serial);
    if (!('forward' in local)) return (local as Resolution).answers;
    const question = dnsPacket.encode({ id: 0, type: 'query', flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: target, type, class: 'IN' }] });
    const answer = await forward(question, this.opts.upstreams(), overTcp);
    if (!answer) return [];
    try {
      return dnsPacket.decode(answer).answers ?? [];
    } catch {
      return [];
    }
  }

  private bindUdp(address: string, port: number): Promise<UdpSocket> {
    return new Promise((resolveBind, reject) => {
      const socket = createSocket('udp4');
      const failed = (err: Error): void => {
        socket.close();
        reject(err);
      };
      socket.once('error', failed);
      socket.bind(port, address, () => {
        socket.off('error', failed);
        socket.on('error', (err) => this.opts.log?.(`udp ${address}:${port}: ${err.message}`));
        socket.on('message', (msg, from) => {
          this.answer(msg, false)
            .then((out) => out && socket.send(out, from.port, from.address))
            .catch((err: Error) => this.opts.log?.(`udp ${address}:${port}: ${err.message}`));
        });
        resolveBind(socket);
      });
    });
  }

  private bindTcp(address: string, port: number): Promise<Server> {
    const server = createServer((conn) => this.serveTcp(conn));
    return new Promise((resolveBind, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => {
        server.off('error', reject);
        resolveBind(server);
      });
    });
  }

  /** One TCP connection: any number of length-prefixed queries, answered in order. */
  private serveTcp(conn: Socket): void {
    this.connections.add(conn);
    conn.on('close', () => this.connections.delete(conn));
    conn.on('error', () => conn.destroy());
    let buffered = Buffer.alloc(0);
    let chain = Promise.resolve();
    conn.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const message = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + message.length);
        chain = chain
          .then(async () => {
            const out = await this.answer(message, true);
            if (out && !conn.destroyed) conn.write(withLength(out));
          })
          .catch(() => void conn.destroy());
      }
    });
  }
}

type Reply = (rcode: number, body?: Partial<Packet>, extraFlags?: number) => Buffer;
const AUTHORITATIVE = dnsPacket.AUTHORITATIVE_ANSWER;

/** Encodes responses to `packet`: its id and question, RD echoed, RA set, then `rcode` and `extraFlags`. */
function replies(packet: DecodedPacket): Reply {
  const base = (packet.flag_rd ? dnsPacket.RECURSION_DESIRED : 0) | dnsPacket.RECURSION_AVAILABLE;
  return (rcode, body = {}, extraFlags = 0) => dnsPacket.encode({ id: packet.id, type: 'response', flags: base | extraFlags | rcode, questions: packet.questions, ...body });
}

/** Echo of the client's EDNS0 OPT record, so it knows larger UDP answers are fine. */
function edns(packet: DecodedPacket): Answer[] {
  const opt = (packet.additionals ?? []).find((a) => a.type === 'OPT');
  return opt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0 } as Answer] : [];
}

function udpLimit(packet: DecodedPacket): number {
  const opt = (packet.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(UDP_MAX, Math.min(opt?.udpPayloadSize ?? UDP_MAX, 1232));
}
