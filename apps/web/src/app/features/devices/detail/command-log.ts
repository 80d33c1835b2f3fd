import { Injectable, signal } from '@angular/core';

/** A command sent from this tab, as far as can be known: whether the api took it, and nothing from the device. */
export interface SentCommand {
  /** `ping`, `reboot`, `interval 90 s` */
  what: string;
  /** epoch ms */
  at: number;
  /** taken: the api published it and the broker acknowledged it (QoS 1); failed: not sent, `error` says why */
  outcome: 'taken' | 'failed';
  /** the device was offline when it was sent: the command waits at the broker until it reconnects */
  offline: boolean;
  error?: string;
}

/** how many commands per device the history keeps */
export const COMMAND_HISTORY_SIZE = 5;

/** What a history line says about a command's delivery (devices send no acknowledgement: never "acknowledged"). */
export function commandState(c: SentCommand): string {
  if (c.outcome === 'failed') return `not sent: ${c.error ?? 'unknown error'}`;
  return c.offline
    ? 'waiting at the broker until the device reconnects · no acknowledgement'
    : 'taken by the broker · no acknowledgement';
}

/**
 * The last commands sent from this browser tab, newest first, per device. The api keeps no record of commands and the
 * firmware sends no acknowledgement (docs/architecture.md), so this is what can honestly be shown; it lasts until
 * the tab is reloaded.
 */
@Injectable({ providedIn: 'root' })
export class CommandLog {
  private readonly byDevice = signal<Record<string, SentCommand[]>>({});

  of(deviceId: string): SentCommand[] {
    return this.byDevice()[deviceId] ?? [];
  }

  add(deviceId: string, c: SentCommand): void {
    this.byDevice.update((all) => ({
      ...all,
      [deviceId]: [c, ...(all[deviceId] ?? [])].slice(0, COMMAND_HISTORY_SIZE),
    }));
  }
}
