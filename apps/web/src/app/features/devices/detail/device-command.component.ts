import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { formatTime } from '../../../core/format';
import { CommandLog, SentCommand, commandState } from './command-log';
import { COMMANDS, CommandName, INTERVAL_MAX_S, INTERVAL_MIN_S, commandBody } from './device-forms';

/**
 * "Send command" for operators: ping, reboot (after a confirm step) or a new reporting interval; below it the last
 * commands sent from this tab, with what is known of their delivery.
 */
@Component({
  selector: 'sh-device-command',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-command.component.html',
  styleUrl: './device-command.component.css',
})
export class DeviceCommandComponent {
  private readonly api = inject(DevicesClient);
  private readonly log = inject(CommandLog);

  readonly deviceId = input.required<string>();
  /** false: the device (or the api) is not reachable now, so a command waits at the broker */
  readonly online = input(true);

  protected readonly commands = COMMANDS;
  protected readonly min = INTERVAL_MIN_S;
  protected readonly max = INTERVAL_MAX_S;
  protected readonly command = signal<CommandName>('ping');
  protected readonly confirming = signal(false);
  protected readonly sending = signal(false);
  protected readonly result = signal<{ kind: 'success' | 'error'; text: string } | null>(null);
  protected seconds: number | string | null = 60;
  protected readonly history = computed(() => this.log.of(this.deviceId()));
  protected readonly stateOf = commandState;
  protected readonly fmt = (t: number) => formatTime(t);
  protected readonly iso = (t: number) => new Date(t).toISOString();

  protected pick(c: CommandName): void {
    this.command.set(c);
    this.confirming.set(false);
    this.result.set(null);
  }

  protected submit(): void {
    if (this.command() === 'reboot') {
      this.confirming.set(true);
      this.result.set(null);
      return;
    }
    void this.send();
  }

  protected async send(): Promise<void> {
    this.confirming.set(false);
    const built = commandBody(this.command(), this.seconds);
    if ('error' in built) {
      this.result.set({ kind: 'error', text: built.error });
      return;
    }
    this.sending.set(true);
    this.result.set(null);
    const id = this.deviceId();
    const what = built.body.seconds ? `interval ${built.body.seconds} s` : built.body.command;
    const sent: Omit<SentCommand, 'outcome'> = { what, at: Date.now(), offline: !this.online() };
    try {
      await this.api.sendCommand(id, built.body);
      this.log.add(id, { ...sent, outcome: 'taken' });
      // the firmware does not acknowledge commands: say what is known, no more
      this.result.set({
        kind: 'success',
        text: `Sent ${what} at ${formatTime(sent.at)}, no acknowledgement (devices send none)`,
      });
    } catch (e) {
      const error = errorMessage(e);
      this.log.add(id, { ...sent, outcome: 'failed', error });
      this.result.set({ kind: 'error', text: `Not sent: ${error}` });
    } finally {
      this.sending.set(false);
    }
  }
}
