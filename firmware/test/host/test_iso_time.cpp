#include "check.h"
#include "sh_iso_time.h"

namespace {
std::string iso(int64_t ms) {
  char buf[sh::kIsoTimestampSize];
  if (!sh::formatIso8601Utc(ms, buf, sizeof buf)) return "<rejected>";
  return buf;
}
}  // namespace

TEST("iso time: formats the Unix epoch with milliseconds and Z") { CHECK_STR(iso(0), "1970-01-01T00:00:00.000Z"); }

TEST("iso time: formats the wire contract example instant") {
  CHECK_STR(iso(1768473000000LL), "2026-01-15T10:30:00.000Z");
  CHECK_STR(iso(1768473060123LL), "2026-01-15T10:31:00.123Z");
}

TEST("iso time: handles leap days, year ends and century rules") {
  CHECK_STR(iso(1709164800000LL), "2024-02-29T00:00:00.000Z");
  CHECK_STR(iso(946684799999LL), "1999-12-31T23:59:59.999Z");
  CHECK_STR(iso(951782400000LL), "2000-02-29T00:00:00.000Z");  // 2000 is a leap year
  CHECK_STR(iso(4107542400000LL), "2100-03-01T00:00:00.000Z");  // 2100 is not
  CHECK_STR(iso(253402300799999LL), "9999-12-31T23:59:59.999Z");
}

TEST("iso time: rejects negative times, far-future times and short buffers") {
  CHECK_STR(iso(-1), "<rejected>");
  CHECK_STR(iso(253402300800000LL), "<rejected>");
  char small[sh::kIsoTimestampSize - 1];
  CHECK(!sh::formatIso8601Utc(0, small, sizeof small));
}
