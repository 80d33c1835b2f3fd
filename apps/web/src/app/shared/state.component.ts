import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** The designed empty / loading / error panel used by every page. */
@Component({
  selector: 'sh-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="state" [class]="kind()" [attr.role]="kind() === 'error' ? 'alert' : 'status'">
      @switch (kind()) {
        @case ('loading') {
          <span class="spinner" aria-hidden="true"></span>
        }
        @case ('error') {
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="12" cy="12" r="10" />
            <path d="M12 7v6M12 16.5v.5" />
          </svg>
        }
        @default {
          <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
            <rect x="3" y="5" width="18" height="14" rx="2" />
            <path d="M7 14l3-3 3 2 4-4" />
          </svg>
        }
      }
      <div class="title">{{ title() }}</div>
      @if (message()) {
        <div class="message">{{ message() }}</div>
      }
      @if (action()) {
        <button type="button" class="btn" (click)="act.emit()">{{ action() }}</button>
      }
      <ng-content />
    </div>
  `,
  styles: `
    .state {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: 6px;
      text-align: center;
      padding: 40px 16px;
      color: var(--muted);
    }
    .title {
      font-weight: 600;
      color: var(--text);
      font-size: 15px;
    }
    .message {
      max-width: 46ch;
      font-size: 14px;
    }
    .icon {
      width: 36px;
      height: 36px;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.5;
      stroke-linecap: round;
      margin-bottom: 4px;
    }
    .error .icon {
      color: var(--danger);
    }
    .btn {
      margin-top: 8px;
    }
    .spinner {
      width: 28px;
      height: 28px;
      border-radius: 50%;
      border: 3px solid #dbe3ee;
      border-top-color: var(--accent);
      animation: spin 0.8s linear infinite;
      margin-bottom: 4px;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
  `,
})
export class StateComponent {
  readonly kind = input<'loading' | 'empty' | 'error'>('empty');
  readonly title = input('');
  readonly message = input<string | null>(null);
  readonly action = input<string | null>(null);
  readonly act = output<void>();
}
