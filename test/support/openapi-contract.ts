import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import Test from 'supertest/lib/test';

/**
 * Checks every response a supertest request receives from the API against the API's own OpenAPI document
 * (/api/docs-json of the same app): the operation exists (else the response must be a 404/405 error), the status is
 * documented for it, the content type is one documented for that status, and a JSON body validates against the
 * documented schema — where objects may hold no property the document does not list. Installed for every test file
 * by jest's setupFilesAfterEnv; a mismatch fails the request's test with the reason.
 */

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}
export interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: {
    required?: boolean;
    content: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }>;
  };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, string[]>[];
}
export type Schema = Record<string, unknown>;

export interface Contract {
  doc: OpenApiDoc;
  /** the documented operation of a request, or null */
  find(method: string, path: string): { template: string; op: Operation } | null;
  /** problems of one response; empty when it matches the document */
  check(method: string, path: string, res: ContractResponse): string[];
}
export interface ContractResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

const SKIP = Symbol('contract: skip');
const contracts = new WeakMap<object, Promise<Contract>>();

/** The contract of an app's document (fetched once per app, without being checked itself). */
export function contractOf(app: object): Promise<Contract> {
  let c = contracts.get(app);
  if (!c) {
    const t = request(app as never).get('/api/docs-json') as unknown as Record<symbol, boolean>;
    t[SKIP] = true;
    c = (t as unknown as Promise<{ status: number; body: OpenApiDoc }>).then((res) => {
      if (res.status !== 200) throw new Error(`/api/docs-json answered ${res.status}`);
      return buildContract(res.body);
    });
    contracts.set(app, c);
  }
  return c;
}

export function buildContract(source: OpenApiDoc): Contract {
  const doc = structuredClone(source);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const strict = closeObjects(rebase(structuredClone(doc.components)) as object);
  ajv.addSchema({ $id: 'openapi', components: strict });
  const cache = new Map<object, ValidateFunction>();
  const validator = (schema: Schema) => {
    let v = cache.get(schema);
    if (!v) cache.set(schema, (v = ajv.compile(closeObjects(rebase(structuredClone(schema))) as Schema)));
    return v;
  };
  const routes = Object.keys(doc.paths).map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    re: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  routes.sort((a, b) => a.params - b.params); // a literal segment wins over a parameter

  const find = (method: string, rawPath: string) => {
    const path = rawPath.length > 1 ? rawPath.replace(/\/$/, '') : rawPath; // Express' non-strict routing
    for (const r of routes) {
      if (!r.re.test(path)) continue;
      const op = doc.paths[r.template][method.toLowerCase()];
      if (op) return { template: r.template, op };
    }
    return null;
  };

  const check = (method: string, path: string, res: ContractResponse): string[] => {
    const problems: string[] = [];
    const type = String(res.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const found = find(method, path);
    const errorSchema = doc.components.schemas.ErrorDto as Schema;
    if (!found) {
      // an undocumented route or method: only the error answers are acceptable (a body is read before routing,
      // so an unreadable one answers 400/413/415 there too)
      if (![400, 404, 405, 413, 415].includes(res.status))
        problems.push(`${method} ${path} is not documented but answered ${res.status}`);
      if (res.status === 405 && !res.headers.allow) problems.push(`405 without an Allow header`);
      if (type !== 'application/json') problems.push(`error answered as ${type || 'no content type'}`);
      else problems.push(...errors(validator(errorSchema), res.body, 'error body'));
      return problems.map((p) => `${method} ${path}: ${p}`);
    }
    const { template, op } = found;
    const where = `${method.toUpperCase()} ${template} → ${res.status}`;
    const spec = op.responses[String(res.status)] ?? op.responses.default;
    if (!spec) {
      return [`${where}: status not documented (documented: ${Object.keys(op.responses).join(', ')})`];
    }
    if (spec.content) {
      const media = spec.content[type];
      if (!media) {
        problems.push(
          `${where}: content type ${type || '(none)'} not documented (${Object.keys(spec.content).join(', ')})`,
        );
      } else if (type === 'application/json' && media.schema) {
        problems.push(...errors(validator(media.schema), res.body, where));
      }
    } else if (res.status !== 204 && type === 'application/json') {
      problems.push(`${where}: answered a JSON body where the document describes none`);
    }
    return problems;
  };

  return { doc, find, check };
}

function errors(validate: ValidateFunction, body: unknown, where: string): string[] {
  if (validate(body)) return [];
  return [
    `${where}: body does not match the schema: ${(validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
      )
      .join('; ')} — body ${JSON.stringify(body).slice(0, 300)}`,
  ];
}

/** `#/components/…` refs point into the `openapi` schema registered with ajv. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(rebase);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.$ref === 'string' && o.$ref.startsWith('#/components/')) o.$ref = `openapi${o.$ref}`;
    Object.values(o).forEach(rebase);
  }
  return node;
}

/** Objects with listed properties and no additionalProperties of their own hold exactly those: undocumented fields fail. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o.properties && typeof o.properties === 'object' && o.additionalProperties === undefined && !o.allOf)
      o.additionalProperties = false;
    Object.values(o).forEach(closeObjects);
  }
  return node;
}

type EndCallback = (err: unknown, res?: ContractResponse) => void;
type TestLike = { app: object; url: string; method: string; end(fn?: EndCallback): unknown } & Record<
  symbol,
  boolean
>;

/** Wraps supertest's Test#end (which `await` and `.expect` go through) with the contract check. */
export function installContractHook(): void {
  const proto = (Test as unknown as { prototype: TestLike }).prototype;
  if ((proto as unknown as Record<symbol, boolean>)[SKIP]) return;
  (proto as unknown as Record<symbol, boolean>)[SKIP] = false;
  const end = proto.end;
  proto.end = function (this: TestLike, fn?: EndCallback) {
    return end.call(this, (err, res) => {
      const done = fn ?? (() => undefined);
      if (this[SKIP] || !res || typeof this.app !== 'object' || this.method === 'HEAD') return done(err, res);
      const path = new URL(this.url).pathname;
      if (!path.startsWith('/api/v1/') && path !== '/metrics') return done(err, res);
      contractOf(this.app)
        .then((c) => {
          const problems = c.check(this.method, path, res);
          done(err ?? (problems.length ? new Error(`OpenAPI contract: ${problems.join('\n')}`) : null), res);
        })
        .catch((e: unknown) => done(err ?? e, res));
    });
  };
}
