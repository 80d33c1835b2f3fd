import { Injectable, PipeTransform } from '@nestjs/common';

import { DEVICE_ID_PATTERN } from '@sensorhub/domain';

import { badRequest } from '../errors';

const MESSAGE = 'id must be 1-64 of [A-Za-z0-9_-]';

/** A device id in the path, by the wire contract's pattern: 400 before any query runs. */
@Injectable()
export class DeviceIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!DEVICE_ID_PATTERN.test(value)) throw badRequest(MESSAGE, [{ field: 'id', errors: [MESSAGE] }]);
    return value;
  }
}
