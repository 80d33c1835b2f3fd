import { Entity } from 'typeorm';

import { ReadingRollup } from './reading-rollup';

/**
 * The readings of one metric of one device in one UTC hour, folded to min/max/sum/count. Triggers on `readings` keep
 * it in step whoever writes (migration 1795919781075), so long-range charts aggregate hours instead of raw rows.
 */
@Entity({ name: 'readings_hourly' })
export class ReadingHourly extends ReadingRollup {}
