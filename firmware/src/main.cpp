// SensorHub firmware for ESP32 + SHT31: reads temperature and humidity and
// publishes them as `devices/{id}/telemetry` packets over MQTT/TLS (mTLS).
//
// Everything that is not hardware (packet encoding, topics, backoff, the
// offline queue, command parsing, time formatting, sensor decoding) lives in
// lib/sensorhub_core and is unit-tested on the host (`make test`). This file
// only wires those pieces to Wi-Fi, TLS, MQTT, I2C and the clock. Serial
// messages are listed in README.md.

#include <Arduino.h>
#include <MQTTClient.h>
#include <WiFi.h>
#include <WiFiClientSecure.h>
#include <Wire.h>
#include <esp_attr.h>
#include <esp_sleep.h>
#include <esp_system.h>
#include <sys/time.h>

#include <cstring>

#if __has_include("config.h")
#include "config.h"
#else
#error "include/config.h is missing: cp include/config.example.h include/config.h and fill it in (see README.md)"
#endif

#include <sh_backoff.h>
#include <sh_battery.h>
#include <sh_command.h>
#include <sh_iso_time.h>
#include <sh_ring_buffer.h>
#include <sh_sht31.h>
#include <sh_telemetry.h>

static_assert(sizeof(config::kDeviceId) > 1, "config::kDeviceId must not be empty");
static_assert(config::kPublishIntervalSeconds >= sh::kMinIntervalSeconds &&
                  config::kPublishIntervalSeconds <= sh::kMaxIntervalSeconds,
              "config::kPublishIntervalSeconds must be within 5..86400");

namespace {

constexpr char kFirmwareVersion[] = "0.1.0";

// 48 samples of 32 bytes: 1.5 KB of the 8 KB RTC memory; at a 60 s interval
// that is 48 minutes of readings kept while the broker is unreachable.
constexpr size_t kQueueCapacity = 48;
constexpr int kMqttBufferSize = 768;         // topic + largest payload + MQTT header
constexpr size_t kMaxPacketsPerLoop = 8;     // keep loop() responsive while replaying
constexpr uint32_t kRtcMagic = 0x53480001;   // bump when the RTC layout changes
constexpr uint32_t kCommandWindowMs = 1500;  // deep sleep: time to receive queued commands

const char* const kMetricNames[] = {config::kTemperatureMetric, config::kHumidityMetric};
constexpr size_t kMetricCount = sizeof kMetricNames / sizeof kMetricNames[0];
static_assert(kMetricCount <= sh::kMaxMetrics, "too many metrics");

// RTC memory survives deep sleep (and esp_restart), so readings taken while
// offline are not lost between wakes.
RTC_DATA_ATTR uint32_t g_rtcMagic;
RTC_DATA_ATTR sh::RingBuffer<sh::Sample, kQueueCapacity> g_queue;
RTC_DATA_ATTR uint32_t g_intervalSeconds;
RTC_DATA_ATTR uint32_t g_droppedSamples;

WiFiClientSecure g_net;
MQTTClient g_mqtt(kMqttBufferSize);
sh::Backoff g_wifiBackoff({5000, 300000, 20});
sh::Backoff g_mqttBackoff({1000, 120000, 20});

char g_topicTelemetry[96];
char g_topicStatus[96];
char g_topicCmd[96];

bool g_wifiUp = false;
bool g_mqttUp = false;
bool g_ntpStarted = false;
bool g_clockReported = false;
bool g_rebootRequested = false;
bool g_pingRequested = false;
uint32_t g_nextWifiAttemptMs = 0;
uint32_t g_nextMqttAttemptMs = 0;
uint32_t g_nextReadingMs = 0;

// --- small helpers -------------------------------------------------------------

bool timeReached(uint32_t now, uint32_t deadline) { return static_cast<int32_t>(now - deadline) >= 0; }

int64_t nowEpochMs() {
  timeval tv;
  gettimeofday(&tv, nullptr);
  return static_cast<int64_t>(tv.tv_sec) * 1000 + tv.tv_usec / 1000;
}

bool clockIsSet() { return nowEpochMs() >= sh::kMinPlausibleEpochMs; }

void led(bool on) {
  if (config::kLedPin >= 0) digitalWrite(static_cast<uint8_t>(config::kLedPin), on ? HIGH : LOW);
}

void blink(int times, uint32_t ms) {
  for (int i = 0; i < times; ++i) {
    led(true);
    delay(ms);
    led(false);
    delay(ms);
  }
}

[[noreturn]] void haltWithError(const char* message) {
  for (;;) {
    Serial.printf("[boot] FATAL: %s\n", message);
    blink(10, 100);
    delay(2000);
  }
}

void reportClockOnce() {
  if (g_clockReported || !clockIsSet()) return;
  char iso[sh::kIsoTimestampSize];
  sh::formatIso8601Utc(nowEpochMs(), iso, sizeof iso);
  Serial.printf("[time] clock set: %s\n", iso);
  g_clockReported = true;
}

// --- sensor --------------------------------------------------------------------

bool readSht31(sh::Sht31Reading& out) {
  Wire.beginTransmission(config::kSht31Address);
  Wire.write(static_cast<uint8_t>(sh::kSht31MeasureHighRep >> 8));
  Wire.write(static_cast<uint8_t>(sh::kSht31MeasureHighRep & 0xFF));
  if (Wire.endTransmission() != 0) return false;
  delay(sh::kSht31MeasureDelayMs);
  if (Wire.requestFrom(config::kSht31Address, static_cast<uint8_t>(6)) != 6) return false;
  uint8_t bytes[6];
  for (uint8_t& b : bytes) b = static_cast<uint8_t>(Wire.read());
  return sh::sht31Decode(bytes, out);
}

void takeSample() {
  if (!clockIsSet()) {
    Serial.println("[sensor] clock not set yet (no NTP since power-on), reading skipped");
    return;
  }
  sh::Sample s{};
  s.epochMs = nowEpochMs();
  s.batteryPercent = -1;
  s.status = sh::DeviceStatus::Ok;

  sh::Sht31Reading r{};
  if (readSht31(r)) {
    s.values[0] = r.temperatureC;
    s.values[1] = r.humidityPercent;
    for (size_t i = 0; i < kMetricCount; ++i) {
      if (kMetricNames[i][0] != '\0') s.presentMask = static_cast<uint8_t>(s.presentMask | (1u << i));
    }
    Serial.printf("[sensor] t=%.2f C rh=%.2f %%\n", static_cast<double>(r.temperatureC),
                  static_cast<double>(r.humidityPercent));
  } else {
    s.status = sh::DeviceStatus::SensorError;
    Serial.println("[sensor] SHT31 read failed (wiring? address?), nothing to send");
    blink(3, 80);
  }

  if (config::kBatteryAdcPin >= 0) {
    const uint32_t pinMv = analogReadMilliVolts(static_cast<uint8_t>(config::kBatteryAdcPin));
    const uint32_t cellMv = static_cast<uint32_t>(static_cast<float>(pinMv) * config::kBatteryDividerRatio);
    s.batteryPercent = static_cast<int8_t>(sh::batteryPercentFromMillivolts(cellMv));
    if (s.status == sh::DeviceStatus::Ok && s.batteryPercent < static_cast<int>(config::kLowBatteryPercent)) {
      s.status = sh::DeviceStatus::LowBattery;
    }
    Serial.printf("[battery] %lu mV, %d %%\n", static_cast<unsigned long>(cellMv), s.batteryPercent);
  }

  if (s.presentMask == 0) return;  // a packet needs at least one measurement
  if (g_queue.push(s)) {
    ++g_droppedSamples;
    Serial.printf("[queue] full (%u), dropped the oldest reading (%lu dropped so far)\n",
                  static_cast<unsigned>(kQueueCapacity), static_cast<unsigned long>(g_droppedSamples));
  }
  Serial.printf("[queue] %u reading(s) waiting\n", static_cast<unsigned>(g_queue.size()));
}

// --- MQTT ----------------------------------------------------------------------

// Sends queued readings oldest first at QoS 1; a reading leaves the queue
// only once the broker has acknowledged it.
void flushQueue(size_t maxPackets) {
  size_t sent = 0;
  while (!g_queue.empty() && sent < maxPackets && g_mqtt.connected()) {
    char payload[512];
    const size_t n =
        sh::encodeTelemetry(config::kDeviceId, *g_queue.oldest(), kMetricNames, kMetricCount, payload, sizeof payload);
    if (n == 0) {
      Serial.println("[queue] reading cannot be encoded (check metric names in config.h), dropped");
      g_queue.pop();
      continue;
    }
    if (!g_mqtt.publish(g_topicTelemetry, payload, static_cast<int>(n), false, 1)) {
      Serial.printf("[mqtt] publish failed, %u reading(s) kept for retry\n", static_cast<unsigned>(g_queue.size()));
      return;
    }
    g_queue.pop();
    ++sent;
    Serial.printf("[mqtt] sent %s (%u waiting)\n", payload, static_cast<unsigned>(g_queue.size()));
    blink(1, 30);
  }
}

void onMessage(MQTTClient* /*client*/, char topic[], char bytes[], int length) {
  if (std::strcmp(topic, g_topicCmd) != 0 || length < 0) return;
  // Only flags are set here: arduino-mqtt forbids publishing from its callback.
  const sh::Command cmd = sh::parseCommand(bytes, static_cast<size_t>(length));
  switch (cmd.type) {
    case sh::CommandType::Interval:
      g_intervalSeconds = cmd.intervalSeconds;
      g_nextReadingMs = millis() + g_intervalSeconds * 1000UL;
      Serial.printf("[cmd] interval set to %lu s\n", static_cast<unsigned long>(cmd.intervalSeconds));
      break;
    case sh::CommandType::Reboot:
      Serial.println("[cmd] reboot requested");
      g_rebootRequested = true;
      break;
    case sh::CommandType::Ping:
      Serial.println("[cmd] ping");
      g_pingRequested = true;
      break;
    case sh::CommandType::Invalid:
      Serial.printf("[cmd] rejected: %s\n", sh::commandErrorName(cmd.error));
      break;
  }
}

bool connectMqtt() {
  Serial.printf("[mqtt] connecting to %s:%u as %s\n", config::kMqttHost, static_cast<unsigned>(config::kMqttPort),
                config::kDeviceId);
  led(true);
  if (g_mqtt.connect(config::kDeviceId) && g_mqtt.publish(g_topicStatus, "online", true, 1) &&
      g_mqtt.subscribe(g_topicCmd, 1)) {
    g_mqttUp = true;
    g_mqttBackoff.reset();
    led(false);
    Serial.println("[mqtt] connected, status online");
    return true;
  }
  g_mqtt.disconnect();
  const uint32_t wait = g_mqttBackoff.next(esp_random());
  g_nextMqttAttemptMs = millis() + wait;
  Serial.printf("[mqtt] connect failed (TLS/certificates? broker down?), retry in %lu ms\n",
                static_cast<unsigned long>(wait));
  return false;
}

// --- Wi-Fi ---------------------------------------------------------------------

void startNtpOnce() {
  if (g_ntpStarted) return;
  configTime(0, 0, config::kNtpServer1, config::kNtpServer2);  // UTC; SNTP keeps re-syncing
  g_ntpStarted = true;
  Serial.printf("[time] NTP sync started (%s)\n", config::kNtpServer1);
}

// Returns true when Wi-Fi is up; otherwise (re)starts joining on the backoff
// schedule. WiFi.begin() is asynchronous, so the next attempt is simply the
// next backoff deadline.
bool maintainWifi(uint32_t now) {
  if (WiFi.status() == WL_CONNECTED) {
    if (!g_wifiUp) {
      g_wifiUp = true;
      g_wifiBackoff.reset();
      Serial.println("[wifi] connected");
      startNtpOnce();
    }
    return true;
  }
  if (g_wifiUp) {
    g_wifiUp = false;
    g_nextWifiAttemptMs = now;
    Serial.println("[wifi] connection lost");
  }
  if (timeReached(now, g_nextWifiAttemptMs)) {
    led(true);
    Serial.printf("[wifi] connecting to %s\n", config::kWifiSsid);
    WiFi.disconnect();
    WiFi.begin(config::kWifiSsid, config::kWifiPassword);
    const uint32_t wait = g_wifiBackoff.next(esp_random());
    g_nextWifiAttemptMs = now + wait;
    Serial.printf("[wifi] next attempt in %lu ms unless connected\n", static_cast<unsigned long>(wait));
  }
  return false;
}

void restartNow() {
  Serial.println("[cmd] rebooting");
  g_mqtt.disconnect();
  delay(200);
  esp_restart();
}

// --- deep sleep mode -------------------------------------------------------------

[[noreturn]] void sleepUntilNextReading() {
  if (g_mqtt.connected()) {
    // A sleeping device is not reachable: say so rather than leave "online".
    g_mqtt.publish(g_topicStatus, "offline", true, 1);
    g_mqtt.disconnect();
  }
  WiFi.disconnect(true);
  led(false);
  Serial.printf("[sleep] deep sleep for %lu s (%u reading(s) queued)\n", static_cast<unsigned long>(g_intervalSeconds),
                static_cast<unsigned>(g_queue.size()));
  esp_sleep_enable_timer_wakeup(static_cast<uint64_t>(g_intervalSeconds) * 1000000ULL);
  esp_deep_sleep_start();
}

// One wake: join Wi-Fi (bounded), make sure the clock is set, read, connect,
// take queued commands, send everything queued, sleep.
[[noreturn]] void runWakeCycle() {
  const uint32_t start = millis();
  WiFi.begin(config::kWifiSsid, config::kWifiPassword);
  Serial.printf("[wifi] connecting to %s\n", config::kWifiSsid);
  while (WiFi.status() != WL_CONNECTED && !timeReached(millis(), start + config::kWakeConnectBudgetMs)) delay(100);
  const bool wifi = WiFi.status() == WL_CONNECTED;
  if (wifi) {
    Serial.println("[wifi] connected");
    if (!clockIsSet()) {
      startNtpOnce();
      while (!clockIsSet() && !timeReached(millis(), start + config::kWakeConnectBudgetMs)) delay(100);
    }
  } else {
    Serial.println("[wifi] not connected within the wake budget");
  }
  reportClockOnce();
  takeSample();

  if (wifi && connectMqtt()) {
    const uint32_t windowStart = millis();
    while (!timeReached(millis(), windowStart + kCommandWindowMs) && g_mqtt.connected()) {
      g_mqtt.loop();
      delay(10);
    }
    if (g_rebootRequested) restartNow();
    if (g_pingRequested) g_pingRequested = false;  // this wake's reading is the answer
    flushQueue(kQueueCapacity);
  }
  sleepUntilNextReading();
}

}  // namespace

void setup() {
  Serial.begin(115200);
  if (config::kLedPin >= 0) pinMode(static_cast<uint8_t>(config::kLedPin), OUTPUT);
  led(true);
  Serial.printf("[boot] SensorHub firmware %s, device %s\n", kFirmwareVersion, config::kDeviceId);

  if (g_rtcMagic != kRtcMagic) {  // power-on or new firmware: RTC memory holds garbage
    g_queue.clear();
    g_intervalSeconds = config::kPublishIntervalSeconds;
    g_droppedSamples = 0;
    g_rtcMagic = kRtcMagic;
  }
  if (g_intervalSeconds < sh::kMinIntervalSeconds || g_intervalSeconds > sh::kMaxIntervalSeconds) {
    g_intervalSeconds = config::kPublishIntervalSeconds;
  }

  if (sh::buildTopic(config::kDeviceId, "telemetry", g_topicTelemetry, sizeof g_topicTelemetry) == 0 ||
      sh::buildTopic(config::kDeviceId, "status", g_topicStatus, sizeof g_topicStatus) == 0 ||
      sh::buildTopic(config::kDeviceId, "cmd", g_topicCmd, sizeof g_topicCmd) == 0) {
    haltWithError("config::kDeviceId must be 1-64 characters of A-Z a-z 0-9 _ -");
  }

  Wire.begin(config::kI2cSda, config::kI2cScl);

  g_net.setCACert(config::kCaCert);
  g_net.setCertificate(config::kClientCert);
  g_net.setPrivateKey(config::kClientKey);
  g_net.setHandshakeTimeout(15);  // seconds

  g_mqtt.begin(config::kMqttHost, config::kMqttPort, g_net);
  g_mqtt.setKeepAlive(30);
  // Persistent session: commands sent while the device was away are delivered.
  g_mqtt.setCleanSession(false);
  g_mqtt.setTimeout(5000);
  g_mqtt.setWill(g_topicStatus, "offline", true, 1);
  g_mqtt.onMessageAdvanced(onMessage);

  WiFi.mode(WIFI_STA);
  if (config::kDeepSleep) runWakeCycle();
  g_nextReadingMs = millis();
}

void loop() {
  const uint32_t now = millis();
  const bool wifi = maintainWifi(now);

  if (g_mqttUp && !g_mqtt.connected()) {
    g_mqttUp = false;
    g_nextMqttAttemptMs = now + g_mqttBackoff.next(esp_random());
    Serial.println("[mqtt] connection lost");
  }
  if (wifi && !g_mqtt.connected() && timeReached(now, g_nextMqttAttemptMs)) connectMqtt();
  if (g_mqtt.connected()) g_mqtt.loop();

  reportClockOnce();
  if (g_rebootRequested) restartNow();
  if (timeReached(now, g_nextReadingMs) || g_pingRequested) {
    takeSample();
    g_nextReadingMs = now + g_intervalSeconds * 1000UL;
  }
  if (g_pingRequested && g_mqtt.connected()) {
    g_mqtt.publish(g_topicStatus, "online", true, 1);
  }
  g_pingRequested = false;
  flushQueue(kMaxPacketsPerLoop);
  delay(10);
}
