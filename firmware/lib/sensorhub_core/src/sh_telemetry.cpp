#include "sh_telemetry.h"

#include <cmath>
#include <cstring>

#include "sh_iso_time.h"

namespace sh {

namespace {

// Appends to a fixed buffer; remembers overflow instead of failing each call.
class Writer {
 public:
  Writer(char* out, size_t size) : out_(out), size_(size) {
    if (size_ > 0) out_[0] = '\0';
  }
  void append(const char* text) { append(text, std::strlen(text)); }
  void append(const char* text, size_t length) {
    if (overflow_ || size_ == 0 || length >= size_ - length_) {
      overflow_ = true;
      return;
    }
    std::memcpy(out_ + length_, text, length);
    length_ += length;
    out_[length_] = '\0';
  }
  void append(char c) { append(&c, 1); }
  // Length written, or 0 if anything did not fit.
  size_t result() const { return overflow_ ? 0 : length_; }

 private:
  char* out_;
  size_t size_;
  size_t length_ = 0;
  bool overflow_ = false;
};

bool isIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool isMetricChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

template <typename Pred>
bool matches(const char* s, size_t maxLength, Pred pred) {
  if (s == nullptr || *s == '\0') return false;
  size_t n = 0;
  for (; s[n] != '\0'; ++n) {
    if (n >= maxLength || !pred(s[n])) return false;
  }
  return true;
}

}  // namespace

const char* deviceStatusName(DeviceStatus status) {
  switch (status) {
    case DeviceStatus::Ok:
      return "ok";
    case DeviceStatus::SensorError:
      return "sensor_error";
    case DeviceStatus::LowBattery:
      return "low_battery";
  }
  return "ok";
}

bool isValidDeviceId(const char* id) { return matches(id, kMaxIdLength, isIdChar); }

bool isValidMetricName(const char* name) { return matches(name, kMaxMetricNameLength, isMetricChar); }

size_t buildTopic(const char* deviceId, const char* leaf, char* out, size_t outSize) {
  if (!isValidDeviceId(deviceId) || leaf == nullptr || *leaf == '\0') return 0;
  Writer w(out, outSize);
  w.append("devices/");
  w.append(deviceId);
  w.append('/');
  w.append(leaf);
  return w.result();
}

size_t formatValue(double value, char* out, size_t outSize) {
  if (!std::isfinite(value) || std::fabs(value) > kMaxAbsValue) return 0;
  int64_t scale = 1;
  for (int i = 0; i < kValueDecimals; ++i) scale *= 10;
  // Integer rounding (half away from zero) instead of printf("%.2f"), whose
  // tie-breaking differs between glibc and the ESP32's newlib.
  const long long scaled = std::llround(value * static_cast<double>(scale));
  const bool negative = scaled < 0;
  const unsigned long long magnitude = static_cast<unsigned long long>(negative ? -scaled : scaled);
  unsigned long long integerPart = magnitude / static_cast<unsigned long long>(scale);
  unsigned long long fraction = magnitude % static_cast<unsigned long long>(scale);

  char digits[32];
  size_t n = 0;
  do {
    digits[n++] = static_cast<char>('0' + integerPart % 10);
    integerPart /= 10;
  } while (integerPart > 0);

  Writer w(out, outSize);
  if (negative) w.append('-');  // scaled == 0 is never negative: no "-0"
  while (n > 0) w.append(digits[--n]);
  if (fraction > 0) {
    int decimals = kValueDecimals;
    while (fraction % 10 == 0) {
      fraction /= 10;
      --decimals;
    }
    char frac[16];
    for (int i = decimals - 1; i >= 0; --i) {
      frac[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    w.append('.');
    w.append(frac, static_cast<size_t>(decimals));
  }
  return w.result();
}

size_t encodeTelemetry(const char* deviceId, const Sample& sample, const char* const* metricNames,
                       size_t metricCount, char* out, size_t outSize) {
  if (!isValidDeviceId(deviceId) || metricCount > kMaxMetrics || (metricCount > 0 && metricNames == nullptr)) {
    return 0;
  }
  char timestamp[kIsoTimestampSize];
  if (!formatIso8601Utc(sample.epochMs, timestamp, sizeof timestamp)) return 0;

  Writer w(out, outSize);
  w.append("{\"device_id\":\"");
  w.append(deviceId);
  w.append("\",\"timestamp\":\"");
  w.append(timestamp);
  w.append("\",\"measurements\":{");
  size_t written = 0;
  for (size_t i = 0; i < metricCount; ++i) {
    if ((sample.presentMask & (1u << i)) == 0) continue;  // a disabled metric may have an empty name
    if (!isValidMetricName(metricNames[i])) return 0;
    char number[40];
    const size_t length = formatValue(sample.values[i], number, sizeof number);
    if (length == 0) continue;  // NaN or out of range: the contract wants finite numbers
    if (written > 0) w.append(',');
    w.append('"');
    w.append(metricNames[i]);
    w.append("\":");
    w.append(number, length);
    ++written;
  }
  if (written == 0) return 0;
  w.append("},\"status\":\"");
  w.append(deviceStatusName(sample.status));
  w.append('"');
  if (sample.batteryPercent >= 0 && sample.batteryPercent <= 100) {
    char battery[8];
    const size_t length = formatValue(sample.batteryPercent, battery, sizeof battery);
    w.append(",\"battery\":");
    w.append(battery, length);
  }
  w.append('}');
  return w.result();
}

}  // namespace sh
