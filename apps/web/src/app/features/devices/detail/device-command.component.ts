import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { COMMANDS, CommandName, INTERVAL_MAX_S, INTERVAL_MIN_S, commandBody } from './device-forms';

/** "Send command" for operators: ping, reboot (after a confirm step) or a new reporting interval. */
@Component({
  selector: 'sh-device-command',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-command.component.html',
  styleUrl: './device-command.component.css',
})
export class DeviceCommandComponent {
  private readonly api = inject(DevicesClient);

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
    try {
      await this.api.sendCommand(this.deviceId(), built.body);
      const what = built.body.seconds ? `interval ${built.body.seconds} s` : built.body.command;
      const at = new Date().toLocaleTimeString();
      // the firmware does not acknowledge commands: say what is known, no more
      this.result.set({
        kind: 'success',
        text: `Sent ${what} at ${at}, no acknowledgement (devices send none)`,
      });
    } catch (e) {
      this.result.set({ kind: 'error', text: `Not sent: ${errorMessage(e)}` });
    } finally {
      this.sending.set(false);
    }
  }
}
