import { PipeTransform } from '@nestjs/common';

import { badRequest } from '../common/errors';

/** Alert ids are positive bigints, kept as strings. */
export class AlertIdPipe implements PipeTransform<string, string> {
  transform(v: string): string {
    if (!/^[1-9]\d{0,17}$/.test(v))
      throw badRequest('id must be a positive integer', [{ field: 'id', errors: ['invalid'] }]);
    return v;
  }
}
