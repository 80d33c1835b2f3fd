import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';

import { DeviceSummary } from '../../../core/api.types';
import { Clock, relativeTime } from '../../../core/clock';
import { displayName, isOnline } from '../device-status';

/** The device's name, presence, id, location, last contact and battery, with the edit button for operators. */
@Component({
  selector: 'sh-device-header',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-header.component.html',
  styleUrl: './device-header.component.css',
})
export class DeviceHeaderComponent {
  private readonly clock = inject(Clock);

  readonly device = input.required<DeviceSummary>();
  readonly canEdit = input(false);
  readonly edit = output<void>();

  protected readonly name = displayName;
  protected online(d: DeviceSummary): boolean {
    return isOnline(d, this.clock.now());
  }
  protected ago(t: number | null): string {
    return relativeTime(t, this.clock.now());
  }
}
