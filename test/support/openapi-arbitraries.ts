import fc from 'fast-check';

import { OpenApiDoc, Schema } from './openapi-contract';

/**
 * fast-check arbitraries from OpenAPI schemas: values the schema allows (patterns, bounds, enums, formats), and
 * `hostile` ones that it usually does not (wrong types, null, NUL characters, non-ISO dates, huge numbers), which
 * the property tests mix in as schemathesis' negative testing would.
 */
export function fromSchema(doc: OpenApiDoc, schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema) return fc.jsonValue({ maxDepth: 2 });
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()!;
    return fromSchema(doc, doc.components.schemas[name] as Schema, depth);
  }
  const arb = plain(doc, schema, depth);
  return schema.nullable ? fc.option(arb, { nil: null }) : arb;
}

function plain(doc: OpenApiDoc, s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  if (Array.isArray(s.oneOf)) return fc.oneof(...(s.oneOf as Schema[]).map((o) => fromSchema(doc, o, depth)));
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  switch (s.type) {
    case 'string': {
      if (s.format === 'date-time')
        return fc
          .date({
            min: new Date('2000-01-01T00:00:00Z'),
            max: new Date('2099-12-31T00:00:00Z'),
            noInvalidDate: true,
          })
          .map((d) => d.toISOString());
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'email') return fc.emailAddress();
      const minLength = num('minLength') ?? 0;
      const maxLength = Math.min(num('maxLength') ?? 40, 300);
      if (typeof s.pattern === 'string') return fc.stringMatching(new RegExp(s.pattern as string));
      return fc.string({ minLength, maxLength });
    }
    case 'integer':
      return fc.integer({ min: num('minimum') ?? -1_000_000, max: num('maximum') ?? 1_000_000 });
    case 'number':
      return fc.double({
        min: num('minimum') ?? -1e9,
        max: num('maximum') ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = fromSchema(doc, s.items as Schema, depth + 1);
      const minLength = num('minItems') ?? 0;
      const maxLength = Math.max(minLength, Math.min(num('maxItems') ?? 4, 4));
      return s.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    default: {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      if (!Object.keys(props).length) {
        if (depth > 2) return fc.constant({});
        const values =
          typeof s.additionalProperties === 'object'
            ? fromSchema(doc, s.additionalProperties as Schema, depth + 1)
            : fc.jsonValue({ maxDepth: 1 });
        return fc.dictionary(fc.stringMatching(/^[a-z0-9_]{1,12}$/), values, { maxKeys: 4 });
      }
      const required = (s.required ?? []) as string[];
      return fc.record(
        // now and then one field hostile, as the whole value is at the top (maybeHostile)
        Object.fromEntries(
          Object.entries(props).map(([k, v]) => [
            k,
            fc.oneof(
              { arbitrary: fromSchema(doc, v, depth + 1), weight: 6 },
              { arbitrary: hostile, weight: 1 },
            ),
          ]),
        ),
        { requiredKeys: required.filter((k) => k in props) },
      );
    }
  }
}

/** Values a client should not send: each must get a 4xx, never a 5xx. */
export const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    '',
    '\u0000',
    'a\u0000b',
    "' OR '1'='1",
    'foo 12',
    '12',
    '2026-02-31T00:00:00Z',
    '-271821-04-20T00:00:00Z',
    '8640000000000001',
    -1,
    1e308,
    9e15,
    true,
    [],
    {},
  ),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A value of the schema most of the time, else a hostile one. */
export const maybeHostile = (valid: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostile, weight: 1 });
