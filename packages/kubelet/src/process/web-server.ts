// The built-in web server that stands in for the nginx, httpd and echo-server images. It runs as a
// container process of its own (`node <data-dir>/bin/mini-kube-web.cjs`): `serve` below is turned
// into that script with Function.prototype.toString, so it must use nothing from outside its body
// (its modules come in as arguments) — that way it survives bundling into dist/ unchanged.
import type * as Fs from 'node:fs';
import type * as Http from 'node:http';
import type * as Path from 'node:path';

/** Configuration through the environment, read by `serve`. */
export interface WebServerEnv {
  MINI_KUBE_WEB_MODE: 'nginx' | 'httpd' | 'http-echo' | 'echoserver';
  MINI_KUBE_WEB_HOST: string;
  MINI_KUBE_WEB_PORT: string;
  /** The host directory served (nginx, httpd); unset: the welcome page. */
  MINI_KUBE_WEB_ROOT?: string;
  MINI_KUBE_WEB_TEXT?: string;
}

function serve(http: typeof Http, fs: typeof Fs, path: typeof Path, env: NodeJS.ProcessEnv): void {
  const mode = env.MINI_KUBE_WEB_MODE ?? 'nginx';
  const root = env.MINI_KUBE_WEB_ROOT;
  const welcome: Record<string, string> = {
    nginx:
      '<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n' +
      '<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>\n',
    httpd: '<html><body><h1>It works!</h1></body></html>\n',
  };
  const types: Record<string, string> = { '.html': 'text/html', '.htm': 'text/html', '.txt': 'text/plain', '.css': 'text/css', '.js': 'application/javascript', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };
  const server = env.MINI_KUBE_WEB_SERVER ?? (mode === 'httpd' ? 'Apache/2.4.62 (Unix)' : mode === 'nginx' ? 'nginx/1.27.3' : '');
  const pad = (n: number): string => String(n).padStart(2, '0');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const clf = (d: Date): string =>
    `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;

  function staticFile(url: string): { code: number; body: Buffer | string; type: string } {
    const rel = decodeURIComponent(url.split('?')[0] ?? '/');
    if (!root) return rel === '/' || rel === '/index.html' ? { code: 200, body: welcome[mode] ?? '', type: 'text/html' } : notFound();
    let file = path.join(root, path.normalize('/' + rel));
    try {
      if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      return { code: 200, body: fs.readFileSync(file), type: types[path.extname(file)] ?? 'application/octet-stream' };
    } catch {
      return notFound();
    }
  }
  function notFound(): { code: number; body: string; type: string } {
    return { code: 404, body: `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n</body>\r\n</html>\r\n`, type: 'text/html' };
  }
  function echo(req: Http.IncomingMessage): { code: number; body: string; type: string } {
    if (mode === 'http-echo') return { code: 200, body: (env.MINI_KUBE_WEB_TEXT ?? '') + '\n', type: 'text/plain' };
    const lines = [
      `Hostname: ${env.HOSTNAME ?? ''}`,
      '',
      'Pod Information:',
      `\tnode name:\t${env.NODE_NAME ?? env.MINI_KUBE_NODE_NAME ?? '-'}`,
      `\tpod name:\t${env.POD_NAME ?? env.HOSTNAME ?? '-'}`,
      `\tpod namespace:\t${env.POD_NAMESPACE ?? env.MINI_KUBE_POD_NAMESPACE ?? '-'}`,
      `\tpod IP:\t${env.POD_IP ?? '-'}`,
      '',
      'Request Information:',
      `\tclient_address=${req.socket.remoteAddress ?? ''}`,
      `\tmethod=${req.method ?? ''}`,
      `\trequest_uri=http://${req.headers.host ?? ''}${req.url ?? ''}`,
      '',
      'Request Headers:',
      ...Object.entries(req.headers).map(([k, v]) => `\t${k}=${String(v)}`),
      '',
    ];
    return { code: 200, body: lines.join('\n') + '\n', type: 'text/plain' };
  }

  const listener = http.createServer((req, res) => {
    const answer = mode === 'nginx' || mode === 'httpd' ? staticFile(req.url ?? '/') : echo(req);
    const length = Buffer.byteLength(answer.body);
    const headers: Record<string, string | number> = { 'Content-Type': answer.type, 'Content-Length': length };
    if (server) headers.Server = server;
    res.writeHead(answer.code, headers);
    res.end(req.method === 'HEAD' ? undefined : answer.body);
    // The combined log format, on stdout as the official images do.
    const who = req.socket.remoteAddress ?? '-';
    const ref = String(req.headers.referer ?? '-');
    const agent = String(req.headers['user-agent'] ?? '-');
    process.stdout.write(`${who} - - [${clf(new Date())}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${answer.code} ${length} "${ref}" "${agent}"\n`);
  });
  const port = Number(env.MINI_KUBE_WEB_PORT ?? 80);
  listener.listen(port, env.MINI_KUBE_WEB_HOST ?? '0.0.0.0');
  listener.on('error', (err) => {
    process.stderr.write(`${mode}: ${err.message}\n`);
    process.exit(1);
  });
  const stop = (): void => {
    listener.close(() => process.exit(0));
    listener.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGQUIT', stop);
}

/** The script's text: `serve` applied to the modules and environment of the process running it. */
export function webServerScript(): string {
  return `'use strict';\n(${serve.toString()})(require('node:http'), require('node:fs'), require('node:path'), process.env);\n`;
}
