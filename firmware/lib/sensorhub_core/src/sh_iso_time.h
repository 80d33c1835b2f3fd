// ISO 8601 UTC timestamps with milliseconds, computed without the C library's
// time zone machinery so the device and the host produce identical text.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sh {

// "YYYY-MM-DDTHH:MM:SS.mmmZ" plus the terminating NUL.
constexpr size_t kIsoTimestampSize = 25;

// Formats Unix epoch milliseconds as e.g. "2026-01-15T10:30:00.000Z".
// Returns false (and writes nothing useful) for times before 1970 or after
// 9999-12-31, or when `out` is smaller than kIsoTimestampSize.
bool formatIso8601Utc(int64_t epochMs, char* out, size_t outSize);

// Earliest epoch-ms the firmware accepts as "the clock has been set by NTP"
// (2024-01-01T00:00:00Z); an unsynced ESP32 clock starts at 1970.
constexpr int64_t kMinPlausibleEpochMs = 1704067200000LL;

}  // namespace sh
