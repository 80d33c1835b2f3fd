import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';

import { badRequest } from '../errors';

/** Deeper JSON than any request of this API needs; deeper input would overflow the validators' recursion. */
export const MAX_INPUT_DEPTH = 32;

/**
 * Runs before validation on every body, query and path value: refuses NUL characters anywhere (PostgreSQL text and
 * jsonb cannot hold them; they arrive percent-encoded in paths too) and nesting deeper than MAX_INPUT_DEPTH, with a
 * 400 naming the field. Iterative, so a hostile 100,000-deep body cannot overflow the stack here.
 */
@Injectable()
export class SafeInputPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    // field names as the validation errors give them: `from`, `measurements.t`, `id`
    const stack: [unknown, string, number][] = [[value, meta.data ?? '', 0]];
    while (stack.length) {
      const [v, field, depth] = stack.pop()!;
      const path = field || meta.type;
      if (typeof v === 'string') {
        if (v.includes('\u0000')) throw refuse(path, `${path} must not contain NUL characters`);
      } else if (typeof v === 'object' && v !== null) {
        if (depth >= MAX_INPUT_DEPTH)
          throw refuse(path, `${path} is nested deeper than ${MAX_INPUT_DEPTH} levels`);
        for (const [k, child] of Object.entries(v)) {
          if (k.includes('\u0000')) throw refuse(path, `keys of ${path} must not contain NUL characters`);
          stack.push([child, field ? `${field}.${k}` : k, depth + 1]);
        }
      }
    }
    return value;
  }
}

const refuse = (field: string, message: string) => badRequest(message, [{ field, errors: [message] }]);
