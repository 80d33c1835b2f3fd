#include <cmath>
#include <limits>

#include "check.h"
#include "sh_telemetry.h"

namespace {

std::string value(double v) {
  char buf[40];
  const size_t n = sh::formatValue(v, buf, sizeof buf);
  return n == 0 ? "<rejected>" : std::string(buf, n);
}

const char* const kMetrics[] = {"temperature", "humidity"};

sh::Sample sample(float t, float h) {
  sh::Sample s{};
  s.epochMs = 1768473000000LL;
  s.values[0] = t;
  s.values[1] = h;
  s.presentMask = 0x3;
  s.batteryPercent = 87;
  s.status = sh::DeviceStatus::Ok;
  return s;
}

std::string encode(const sh::Sample& s, const char* id = "a1b2c3d4", const char* const* metrics = kMetrics,
                   size_t count = 2) {
  char buf[512];
  const size_t n = sh::encodeTelemetry(id, s, metrics, count, buf, sizeof buf);
  return n == 0 ? "<rejected>" : std::string(buf, n);
}

}  // namespace

TEST("telemetry: encodes the wire contract example byte for byte") {
  CHECK_STR(encode(sample(23.5f, 41.0f)),
            "{\"device_id\":\"a1b2c3d4\",\"timestamp\":\"2026-01-15T10:30:00.000Z\",\"measurements\":{"
            "\"temperature\":23.5,\"humidity\":41},\"status\":\"ok\",\"battery\":87}");
}

TEST("telemetry: values are rounded to two decimals without trailing zeros or negative zero") {
  CHECK_STR(value(41), "41");
  CHECK_STR(value(23.5), "23.5");
  CHECK_STR(value(-18.75), "-18.75");
  CHECK_STR(value(0.5), "0.5");
  CHECK_STR(value(22.456), "22.46");
  CHECK_STR(value(-22.456), "-22.46");
  CHECK_STR(value(0.999), "1");
  CHECK_STR(value(-0.004), "0");
  CHECK_STR(value(0.05), "0.05");
  CHECK_STR(value(1e12), "1000000000000");
}

TEST("telemetry: non-finite or huge values are not encodable") {
  CHECK_STR(value(std::numeric_limits<double>::quiet_NaN()), "<rejected>");
  CHECK_STR(value(std::numeric_limits<double>::infinity()), "<rejected>");
  CHECK_STR(value(-std::numeric_limits<double>::infinity()), "<rejected>");
  CHECK_STR(value(1.5e12), "<rejected>");
}

TEST("telemetry: a NaN or missing measurement is left out of the packet") {
  sh::Sample s = sample(std::nanf(""), 41.0f);
  CHECK(encode(s).find("\"measurements\":{\"humidity\":41}") != std::string::npos);
  s = sample(23.5f, 41.0f);
  s.presentMask = 0x1;
  CHECK(encode(s).find("\"measurements\":{\"temperature\":23.5}") != std::string::npos);
}

TEST("telemetry: a packet with no usable measurement is not produced") {
  sh::Sample s = sample(23.5f, 41.0f);
  s.presentMask = 0;
  CHECK_STR(encode(s), "<rejected>");
  CHECK_STR(encode(sample(std::nanf(""), std::nanf(""))), "<rejected>");
}

TEST("telemetry: battery is omitted when the device has none") {
  sh::Sample s = sample(23.5f, 41.0f);
  s.batteryPercent = -1;
  const std::string p = encode(s);
  CHECK(p.find("battery") == std::string::npos);
  CHECK(p.size() > 0 && p.back() == '}');
  CHECK(p.find("\"status\":\"ok\"}") != std::string::npos);
}

TEST("telemetry: invalid device ids, metric names and timestamps are refused") {
  const sh::Sample s = sample(23.5f, 41.0f);
  CHECK_STR(encode(s, ""), "<rejected>");
  CHECK_STR(encode(s, "bad/id"), "<rejected>");
  CHECK_STR(encode(s, "with space"), "<rejected>");
  CHECK_STR(encode(s, std::string(65, 'a').c_str()), "<rejected>");
  CHECK(encode(s, std::string(64, 'a').c_str()) != "<rejected>");
  const char* const upper[] = {"Temperature"};
  CHECK_STR(encode(s, "a1", upper, 1), "<rejected>");
  const char* const quote[] = {"temp\""};
  CHECK_STR(encode(s, "a1", quote, 1), "<rejected>");
  sh::Sample unsynced = s;
  unsynced.epochMs = -5;
  CHECK_STR(encode(unsynced), "<rejected>");
}

TEST("telemetry: a too small output buffer fails instead of truncating") {
  const sh::Sample s = sample(23.5f, 41.0f);
  const std::string full = encode(s);
  char buf[512];
  CHECK_EQ(sh::encodeTelemetry("a1b2c3d4", s, kMetrics, 2, buf, full.size()), 0u);  // no room for NUL
  CHECK_EQ(sh::encodeTelemetry("a1b2c3d4", s, kMetrics, 2, buf, full.size() + 1), full.size());
}

TEST("telemetry: id and metric name rules follow the wire contract") {
  CHECK(sh::isValidDeviceId("esp32-01"));
  CHECK(sh::isValidDeviceId("A_b-9"));
  CHECK(!sh::isValidDeviceId("esp32.01"));
  CHECK(!sh::isValidDeviceId(nullptr));
  CHECK(sh::isValidMetricName("pm2_5"));
  CHECK(!sh::isValidMetricName("pm2-5"));
  CHECK(!sh::isValidMetricName(""));
  CHECK(!sh::isValidMetricName(std::string(65, 'a').c_str()));
}

TEST("telemetry: topics are devices/{id}/{leaf}") {
  char buf[96];
  CHECK_EQ(sh::buildTopic("esp32-01", "telemetry", buf, sizeof buf), 26u);
  CHECK_STR(buf, "devices/esp32-01/telemetry");
  CHECK(sh::buildTopic("esp32-01", "status", buf, sizeof buf) > 0);
  CHECK_STR(buf, "devices/esp32-01/status");
  CHECK(sh::buildTopic("esp32-01", "cmd", buf, sizeof buf) > 0);
  CHECK_STR(buf, "devices/esp32-01/cmd");
  CHECK_EQ(sh::buildTopic("esp32/01", "cmd", buf, sizeof buf), 0u);
  CHECK_EQ(sh::buildTopic("esp32-01", "telemetry", buf, 26), 0u);
}

TEST("telemetry: status names are the ones the server stores") {
  CHECK_STR(sh::deviceStatusName(sh::DeviceStatus::Ok), "ok");
  CHECK_STR(sh::deviceStatusName(sh::DeviceStatus::SensorError), "sensor_error");
  CHECK_STR(sh::deviceStatusName(sh::DeviceStatus::LowBattery), "low_battery");
}
