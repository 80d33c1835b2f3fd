import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** A tiny SVG trend line (no chart library: the overview stays light). */
@Component({
  selector: 'sh-sparkline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './sparkline.component.html',
  styleUrl: './sparkline.component.css',
})
export class SparklineComponent {
  /** [t, value] pairs, ascending t */
  readonly points = input<readonly (readonly [number, number])[]>([]);
  /** the value scale [low, high] (shared by the sparklines of one metric); default: this line's own */
  readonly range = input<readonly [number, number] | undefined>(undefined);
  protected readonly w = 100;
  protected readonly h = 28;

  protected readonly path = computed(() => {
    const pts = this.points();
    if (pts.length < 2) return null;
    const t0 = pts[0][0];
    const t1 = pts[pts.length - 1][0];
    let lo = Infinity;
    let hi = -Infinity;
    for (const [, v] of pts) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const shared = this.range();
    if (shared) [lo, hi] = [Math.min(lo, shared[0]), Math.max(hi, shared[1])];
    const span = hi - lo || 1;
    const x = (t: number) => (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * this.w);
    const y = (v: number) => (hi === lo ? this.h / 2 : 2 + (1 - (v - lo) / span) * (this.h - 4));
    return pts.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(2)},${y(v).toFixed(2)}`).join(' ');
  });
}
