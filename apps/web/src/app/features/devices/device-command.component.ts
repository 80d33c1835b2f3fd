import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { ApiClient } from '../../core/api-client';
import { COMMANDS, CommandName, INTERVAL_MAX_S, INTERVAL_MIN_S, commandBody } from './device-forms';

/** "Send command" for operators: ping, reboot (after a confirm step) or a new reporting interval. */
@Component({
  selector: 'sh-device-command',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="panel command" (ngSubmit)="submit()" data-testid="device-command">
      <h2>Send command</h2>
      <div class="segmented" role="group" aria-label="Command">
        @for (c of commands; track c) {
          <button
            type="button"
            [attr.aria-pressed]="command() === c"
            [attr.data-command]="c"
            (click)="pick(c)"
          >
            {{ c }}
          </button>
        }
      </div>
      @if (command() === 'interval') {
        <label class="seconds"
          ><input
            type="number"
            name="seconds"
            [(ngModel)]="seconds"
            [min]="min"
            [max]="max"
            step="1"
            inputmode="numeric"
            aria-label="Interval in seconds"
          />
          <span class="muted">s</span></label
        >
      }
      @if (confirming()) {
        <span class="confirm" role="alert">Reboot the device now?</span>
        <button type="button" class="btn small danger" (click)="send()" data-testid="confirm-reboot">
          Reboot now
        </button>
        <button type="button" class="btn small" (click)="confirming.set(false)">Cancel</button>
      } @else {
        <button type="submit" class="btn small primary" [disabled]="sending()">
          {{ sending() ? 'Sending…' : 'Send' }}
        </button>
      }
      @if (result(); as r) {
        <span class="result" [class]="r.kind" role="status" data-testid="command-result">{{ r.text }}</span>
      }
    </form>
  `,
  styles: `
    .command {
      display: flex;
      align-items: center;
      gap: 10px;
      flex-wrap: wrap;
      padding: 10px 12px;
      margin-bottom: 10px;
    }
    h2 {
      font-size: 14px;
      margin-right: 2px;
    }
    .segmented button {
      text-transform: capitalize;
    }
    .seconds {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 14px;
    }
    .seconds input {
      width: 96px;
    }
    .confirm {
      font-size: 14px;
      font-weight: 600;
      color: var(--danger);
    }
    .result {
      font-size: 13px;
    }
    .result.success {
      color: #0e5e0b;
    }
    .result.error {
      color: var(--danger);
    }
  `,
})
export class DeviceCommandComponent {
  private readonly api = inject(ApiClient);

  readonly deviceId = input.required<string>();

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
      this.result.set({ kind: 'success', text: `Sent ${what} at ${at}` });
    } catch (e) {
      const reason = (e as { message?: string }).message ?? 'unknown error';
      this.result.set({ kind: 'error', text: `Not sent: ${reason}` });
    } finally {
      this.sending.set(false);
    }
  }
}
