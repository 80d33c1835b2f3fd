#include "sh_iso_time.h"

#include <cstdio>

namespace sh {

namespace {

// Howard Hinnant's civil_from_days: days since 1970-01-01 -> y/m/d.
void civilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) y += 1;
}

}  // namespace

bool formatIso8601Utc(int64_t epochMs, char* out, size_t outSize) {
  // 253402300799999 = 9999-12-31T23:59:59.999Z
  if (out == nullptr || outSize < kIsoTimestampSize || epochMs < 0 || epochMs > 253402300799999LL) {
    return false;
  }
  const int64_t ms = epochMs % 1000;
  const int64_t totalSeconds = epochMs / 1000;
  const int64_t days = totalSeconds / 86400;
  const int64_t secondsOfDay = totalSeconds % 86400;
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civilFromDays(days, year, month, day);
  const int n = std::snprintf(out, outSize, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(year), month, day,
                              static_cast<int>(secondsOfDay / 3600), static_cast<int>((secondsOfDay / 60) % 60),
                              static_cast<int>(secondsOfDay % 60), static_cast<int>(ms));
  return n == static_cast<int>(kIsoTimestampSize - 1);
}

}  // namespace sh
