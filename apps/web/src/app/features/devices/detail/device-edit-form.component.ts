import { ChangeDetectionStrategy, Component, OnInit, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';

import { DevicesClient } from '../../../core/devices-client';
import { errorMessage } from '../../../core/errors';
import { DeviceSummary } from '../../../core/api.types';
import { MetadataRow, metadataFromRows, metadataRow, metadataRows } from './device-forms';

export type DeviceEdit = Pick<DeviceSummary, 'name' | 'location' | 'metadata'>;

/** Name, location and metadata of a device, saved through the API; starts from the device as it was when opened. */
@Component({
  selector: 'sh-device-edit-form',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './device-edit-form.component.html',
  styleUrl: './device-edit-form.component.css',
})
export class DeviceEditFormComponent implements OnInit {
  private readonly api = inject(DevicesClient);

  readonly device = input.required<DeviceSummary>();
  readonly saved = output<DeviceEdit>();
  readonly closed = output<void>();

  protected readonly saving = signal(false);
  protected readonly editError = signal<string | null>(null);
  protected editName = '';
  protected editLocation = '';
  protected editMeta: MetadataRow[] = [];

  ngOnInit(): void {
    // once: live updates of the device while the form is open must not overwrite what is being typed
    const d = this.device();
    this.editName = d.name ?? '';
    this.editLocation = d.location ?? '';
    this.editMeta = metadataRows(d.metadata);
  }

  protected addMeta(): void {
    this.editMeta = [...this.editMeta, metadataRow()];
  }

  protected removeMeta(r: MetadataRow): void {
    this.editMeta = this.editMeta.filter((x) => x !== r);
  }

  protected async saveEdit(): Promise<void> {
    const meta = metadataFromRows(this.editMeta);
    if ('error' in meta) {
      this.editError.set(meta.error);
      return;
    }
    this.saving.set(true);
    this.editError.set(null);
    try {
      const updated = await this.api.updateDevice(this.device().id, {
        name: this.editName.trim() || null,
        location: this.editLocation.trim() || null,
        metadata: meta.metadata,
      });
      this.saved.emit({ name: updated.name, location: updated.location, metadata: updated.metadata });
    } catch (e) {
      this.editError.set(errorMessage(e));
    } finally {
      this.saving.set(false);
    }
  }
}
