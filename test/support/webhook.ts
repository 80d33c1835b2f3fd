import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface WebhookCall {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A local HTTP endpoint for webhook tests: answers each POST with `statuses[i]` (then 200), records every call. */
export async function startWebhookServer(statuses: number[] = []): Promise<{
  url: string;
  calls: WebhookCall[];
  close: () => Promise<void>;
}> {
  const calls: WebhookCall[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const status = statuses[calls.length] ?? 200;
      calls.push({ headers: req.headers, body, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    calls,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
