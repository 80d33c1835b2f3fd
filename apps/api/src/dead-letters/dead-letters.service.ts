import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { DeadLetterReason, RESERVED_LEVELS } from '@sensorhub/domain';

import { deviceScopesAsLike, deviceScopesOf, mayAccessDevice } from '../common/device-scope';
import { Principal } from '../common/decorators/principal.decorator';
import { ApiError, forbidden, notFound } from '../common/errors';
import { MqttService } from '../mqtt/mqtt.service';
import {
  DeadLetterDto,
  DeadLetterFilterDto,
  DeadLettersDto,
  DeadLettersQueryDto,
  ReasonCountDto,
  ReplayedDto,
} from './dto/dead-letters.dto';
import { viewPayload } from './payload-view';

// the {id} of devices/{id}/…, else NULL (malformed topics are dead letters too)
const DEVICE = `CASE WHEN topic ~ '^devices/[A-Za-z0-9_-]{1,64}/' THEN split_part(topic, '/', 2) END`;
const WHERE = `($1::text IS NULL OR reason = $1)
  AND ($2::text IS NULL OR ${DEVICE} = $2)
  AND ($3::timestamptz IS NULL OR received_at >= $3)
  AND ($4::timestamptz IS NULL OR received_at < $4)
  AND ($5::text[] IS NULL OR ${DEVICE} LIKE ANY($5::text[]))`;

interface Row {
  id: string;
  topic: string;
  deviceId: string | null;
  reason: DeadLetterReason;
  detail: string;
  receivedAt: Date;
  payload: Buffer;
  payloadSize: number;
  replayedAt: Date | null;
  replayCount: number;
}

const COLUMNS = `id::text, topic, ${DEVICE} AS "deviceId", reason, detail, received_at AS "receivedAt", payload,
  payload_size AS "payloadSize", replayed_at AS "replayedAt", replay_count AS "replayCount"`;

@Injectable()
export class DeadLettersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly mqtt: MqttService,
  ) {}

  async find(q: DeadLettersQueryDto, me: Principal): Promise<DeadLettersDto> {
    const params = this.filterParams(q, me);
    const [rows, [{ total }]] = await Promise.all([
      this.db.query<Row[]>(
        `SELECT ${COLUMNS} FROM dead_letters WHERE ${WHERE} ORDER BY received_at DESC, id DESC LIMIT $6 OFFSET $7`,
        [...params, q.limit, q.offset],
      ),
      this.db.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM dead_letters WHERE ${WHERE}`,
        params,
      ),
    ]);
    return { total, limit: q.limit, offset: q.offset, items: rows.map(toDto) };
  }

  /** Dead letters per reason under the same filters, most frequent first. */
  summary(q: DeadLetterFilterDto, me: Principal): Promise<ReasonCountDto[]> {
    return this.db.query<ReasonCountDto[]>(
      `SELECT reason, count(*)::int AS count FROM dead_letters WHERE ${WHERE} GROUP BY reason ORDER BY count DESC, reason`,
      this.filterParams(q, me),
    );
  }

  /**
   * Publishes the stored topic and payload to the broker again, so ingest judges it by today's rules (contract,
   * catalog, registry). Readings are keyed on (device, metric, ts): a second replay stores nothing new.
   */
  async replay(id: string, me: Principal): Promise<ReplayedDto> {
    const [row] = await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM dead_letters WHERE id = $1`, [id]);
    if (!row) throw notFound(`dead letter ${id}`);
    if (row.deviceId === null || !mayAccessDevice(me, row.deviceId)) {
      if (row.deviceId !== null || deviceScopesOf(me))
        throw forbidden(`this API key may not access dead letter ${id}`);
      throw new ApiError(
        HttpStatus.CONFLICT,
        'DEAD_LETTER_NOT_REPLAYABLE',
        `topic "${row.topic}" is not devices/{id}/…: replaying it cannot store anything`,
      );
    }
    if (row.topic.endsWith(`/${RESERVED_LEVELS.command}`)) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'DEAD_LETTER_NOT_REPLAYABLE',
        'a command topic is not replayed: it would send the command to the device again',
      );
    }
    if (row.payload.length < row.payloadSize) {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'DEAD_LETTER_TRUNCATED',
        `only ${row.payload.length} of the payload's ${row.payloadSize} bytes were kept: it cannot be replayed`,
        { storedBytes: row.payload.length, payloadSize: row.payloadSize },
      );
    }
    await this.mqtt.publish(row.topic, row.payload);
    const [done] = await this.db.query<{ replayedAt: Date; replayCount: number }[]>(
      `UPDATE dead_letters SET replayed_at = now(), replay_count = replay_count + 1 WHERE id = $1
       RETURNING replayed_at AS "replayedAt", replay_count AS "replayCount"`,
      [id],
    );
    return {
      id: row.id,
      topic: row.topic,
      payloadSize: row.payload.length,
      // deleted meanwhile: the publish happened all the same
      replayedAt: done?.replayedAt ?? new Date(),
      replayCount: done?.replayCount ?? row.replayCount + 1,
    };
  }

  private filterParams(q: DeadLetterFilterDto, me: Principal): unknown[] {
    const scopes = deviceScopesOf(me);
    return [
      q.reason ?? null,
      q.device ?? null,
      q.from ?? null,
      q.to ?? null,
      scopes && deviceScopesAsLike(scopes),
    ];
  }
}

function toDto(r: Row): DeadLetterDto {
  const truncated = r.payload.length < r.payloadSize;
  return {
    id: r.id,
    topic: r.topic,
    deviceId: r.deviceId,
    reason: r.reason,
    detail: r.detail,
    receivedAt: r.receivedAt,
    ...viewPayload(r.payload, truncated),
    payloadSize: r.payloadSize,
    truncated,
    replayedAt: r.replayedAt,
    replayCount: r.replayCount,
  };
}
