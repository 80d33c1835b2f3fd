import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

import {
  AlertCondition,
  AlertEventStatus,
  AlertScope,
  AlertSeverity,
  AlertState,
} from '@sensorhub/contracts';

/** What a rule does on each transition besides the SSE event every transition sends. */
export type AlertAction =
  | { type: 'mqtt'; topic?: string; payload?: string }
  | { type: 'webhook'; url: string }
  | { type: 'script'; path: string };

const numeric = {
  from: (v: unknown) => (v === null || v === undefined ? null : Number(v)),
  to: (v: unknown) => v,
};

@Entity({ name: 'alert_rules' })
export class AlertRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  scope: AlertScope;

  @Column({ name: 'scope_device_id', type: 'text', nullable: true })
  scopeDeviceId: string | null;

  @Column({ name: 'scope_key', type: 'text', nullable: true })
  scopeKey: string | null;

  @Column({ name: 'scope_value', type: 'text', nullable: true })
  scopeValue: string | null;

  @Column({ type: 'text' })
  metric: string;

  @Column({ type: 'text' })
  condition: AlertCondition;

  /** above/below: the limit; outside: the low end; rate: units per minute (absolute) */
  @Column({ type: 'double precision', nullable: true, transformer: numeric })
  threshold: number | null;

  /** outside: the high end */
  @Column({ name: 'threshold_high', type: 'double precision', nullable: true, transformer: numeric })
  thresholdHigh: number | null;

  /** hysteresis: the value must pass this (not just the threshold) before the alert clears */
  @Column({ name: 'clear_threshold', type: 'double precision', nullable: true, transformer: numeric })
  clearThreshold: number | null;

  @Column({ name: 'clear_threshold_high', type: 'double precision', nullable: true, transformer: numeric })
  clearThresholdHigh: number | null;

  @Column({ name: 'no_data_seconds', type: 'integer', nullable: true })
  noDataSeconds: number | null;

  /** the condition (and the clear condition) must hold this long */
  @Column({ name: 'duration_seconds', type: 'integer', default: 0 })
  durationSeconds: number;

  @Column({ type: 'text' })
  severity: AlertSeverity;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  actions: AlertAction[];

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

@Entity({ name: 'alerts' })
export class Alert {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'rule_id', type: 'uuid' })
  ruleId: string;

  @Column({ name: 'device_id', type: 'text' })
  deviceId: string;

  @Column({ type: 'text' })
  metric: string;

  @Column({ type: 'text' })
  severity: AlertSeverity;

  @Column({ type: 'text' })
  state: AlertState;

  @Column({ type: 'double precision', nullable: true, transformer: numeric })
  value: number | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'fired_at', type: 'timestamptz', nullable: true })
  firedAt: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ name: 'clear_since', type: 'timestamptz', nullable: true })
  clearSince: Date | null;

  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'ack_note', type: 'text', nullable: true })
  ackNote: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** The outbox: one row per transition and action, performed by the processor and marked with its outcome. */
@Entity({ name: 'alert_events' })
export class AlertEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'alert_id', type: 'bigint' })
  alertId: string;

  @Column({ type: 'text' })
  transition: 'firing' | 'resolved' | 'acknowledged';

  /** -1: the SSE event every transition sends; else the index into the rule's actions */
  @Column({ name: 'action_index', type: 'integer' })
  actionIndex: number;

  @Column({ type: 'jsonb' })
  action: AlertAction | { type: 'sse' };

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  status: AlertEventStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ name: 'idempotency_key', type: 'uuid' })
  idempotencyKey: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}

/** Newest reading evaluated per (rule, device): a reading at or before it is never evaluated again. */
@Entity({ name: 'alert_rule_state' })
export class AlertRuleState {
  @PrimaryColumn({ name: 'rule_id', type: 'uuid' })
  ruleId: string;

  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId: string;

  @Column({ name: 'last_ts', type: 'timestamptz' })
  lastTs: Date;
}
