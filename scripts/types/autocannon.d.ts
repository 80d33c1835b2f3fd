// The part of autocannon (which ships no types) that bench:api uses.
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string;
      requests?: { method: string; path: string }[];
      connections?: number;
      duration?: number;
      headers?: Record<string, string>;
    }
    interface Result {
      errors: number;
      throughput: { average: number };
      requests: { average: number };
    }
    interface Instance {
      on(
        event: 'response',
        listener: (client: unknown, status: number, bytes: number, ms: number) => void,
      ): this;
    }
  }
  function autocannon(
    opts: autocannon.Options,
    done: (err: Error | null, res: autocannon.Result) => void,
  ): autocannon.Instance;
  export = autocannon;
}
