// The SensorHub wire contract, device side: topic names, identifier rules and
// the telemetry packet
//   {"device_id":"a1b2c3d4","timestamp":"2026-01-15T10:30:00.000Z",
//    "measurements":{"temperature":23.5,"humidity":41},"status":"ok","battery":87}
// The golden files in test/golden pin the exact bytes; the server's parser
// (libs/domain) is tested against the same files.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sh {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMaxMetricNameLength = 64;
constexpr size_t kMaxMetrics = 4;
// Values are rounded to this many decimals; trailing zeros are dropped.
constexpr int kValueDecimals = 2;
// Largest magnitude the encoder writes; beyond it rounding is not exact.
constexpr double kMaxAbsValue = 1e12;

enum class DeviceStatus : uint8_t { Ok = 0, SensorError = 1, LowBattery = 2 };

const char* deviceStatusName(DeviceStatus status);

// One telemetry packet worth of data. Metric names are not stored here (they
// come from configuration, see encodeTelemetry) so a buffer of samples stays
// small enough for the ESP32's 8 KB of RTC memory.
struct Sample {
  int64_t epochMs;              // when the reading was taken
  float values[kMaxMetrics];    // values[i] belongs to metricNames[i]
  uint8_t presentMask;          // bit i set: values[i] was read successfully
  int8_t batteryPercent;        // 0..100, or -1 when the device has no battery
  DeviceStatus status;
};

// 1-64 characters of [A-Za-z0-9_-].
bool isValidDeviceId(const char* id);
// 1-64 characters of [a-z0-9_].
bool isValidMetricName(const char* name);

// Writes "devices/{id}/{leaf}" into `out`. Returns the length written, or 0
// if the id is invalid or `out` is too small.
size_t buildTopic(const char* deviceId, const char* leaf, char* out, size_t outSize);

// Formats a finite value rounded to kValueDecimals with trailing zeros (and
// a trailing '.') removed: 23.5 -> "23.5", 41.0 -> "41", -0.001 -> "0".
// Returns the length, or 0 for NaN, infinities, |v| > kMaxAbsValue or a too
// small buffer.
size_t formatValue(double value, char* out, size_t outSize);

// Encodes `sample` as a telemetry payload. Measurements are written in
// metric order; those not present or not finite are left out. Returns the
// payload length, or 0 when the device id or a present metric's name is invalid, the
// timestamp cannot be formatted, no measurement is left, or `out` is too
// small.
size_t encodeTelemetry(const char* deviceId, const Sample& sample, const char* const* metricNames,
                       size_t metricCount, char* out, size_t outSize);

}  // namespace sh
