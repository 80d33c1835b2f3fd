import * as http from 'node:http';

export interface SseEvent {
  event: string;
  data: unknown;
}

/** A minimal EventSource: GET with no headers, events collected as they arrive. */
export function openSse(url: string): Promise<{
  events: SseEvent[];
  status: number;
  close: () => void;
  body: () => string;
  /** settles when the server ends the stream */
  ended: Promise<void>;
}> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    let buf = '';
    let raw = '';
    const req = http.get(url, { headers: { Accept: 'text/event-stream' } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          events.push({ event, data: data === undefined ? undefined : JSON.parse(data) });
        }
      });
      const ended = new Promise<void>((done) => res.once('close', () => done()));
      resolve({ events, status: res.statusCode ?? 0, close: () => req.destroy(), body: () => raw, ended });
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
  });
}
