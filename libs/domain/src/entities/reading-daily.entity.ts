import { Entity } from 'typeorm';

import { ReadingRollup } from './reading-rollup';

/** readings_hourly folded to UTC days, kept by the same triggers: year-long charts read ~365 rows per series. */
@Entity({ name: 'readings_daily' })
export class ReadingDaily extends ReadingRollup {}
