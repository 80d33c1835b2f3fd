#include "sh_battery.h"

#include <cstddef>

namespace sh {

namespace {

struct Point {
  uint16_t millivolts;
  uint8_t percent;
};

// Descending voltage.
constexpr Point kCurve[] = {
    {4200, 100}, {4100, 90}, {4000, 80}, {3900, 65}, {3800, 45},
    {3700, 20},  {3600, 8},  {3500, 3},  {3300, 0},
};

}  // namespace

uint8_t batteryPercentFromMillivolts(uint32_t mv) {
  constexpr size_t n = sizeof kCurve / sizeof kCurve[0];
  if (mv >= kCurve[0].millivolts) return 100;
  if (mv <= kCurve[n - 1].millivolts) return 0;
  for (size_t i = 1; i < n; ++i) {
    const Point hi = kCurve[i - 1];
    const Point lo = kCurve[i];
    if (mv >= lo.millivolts) {
      const uint32_t span = hi.millivolts - lo.millivolts;
      const uint32_t rise = hi.percent - lo.percent;
      // Round to nearest.
      return static_cast<uint8_t>(lo.percent + ((mv - lo.millivolts) * rise + span / 2) / span);
    }
  }
  return 0;
}

}  // namespace sh
