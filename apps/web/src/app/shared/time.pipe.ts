import { Pipe, PipeTransform } from '@angular/core';

import { formatTime } from '../core/format';

/** `{{ t | shTime }}`: a time (epoch ms or ISO) as the dashboard writes every time (29 Nov 2026, 14:05:09); — for none. */
@Pipe({ name: 'shTime' })
export class TimePipe implements PipeTransform {
  transform(v: number | string | null | undefined, withSeconds = true): string {
    const t = typeof v === 'string' ? Date.parse(v) : v;
    return t === null || t === undefined || !Number.isFinite(t) ? '—' : formatTime(t, undefined, withSeconds);
  }
}
