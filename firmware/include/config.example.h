// SensorHub firmware configuration.
//
// Copy this file to include/config.h (git-ignored) and fill it in:
//   cp include/config.example.h include/config.h
// Everything the device needs to join your SensorHub lives here; see
// README.md ("Provisioning certificates") for how to make the certificates.
#pragma once

#include <cstdint>

namespace config {

// --- Wi-Fi -------------------------------------------------------------------
constexpr char kWifiSsid[] = "your-ssid";
constexpr char kWifiPassword[] = "your-password";

// --- Broker (MQTT over TLS with client certificates) -------------------------
// Must match the host name in the broker's certificate.
constexpr char kMqttHost[] = "sensorhub.example.com";
constexpr uint16_t kMqttPort = 8883;

// Device id: 1-64 characters of [A-Za-z0-9_-]. Also the MQTT client id and,
// in the recommended broker setup, the client certificate's CN.
constexpr char kDeviceId[] = "esp32-01";

// CA that signed the broker's certificate (PEM).
constexpr char kCaCert[] = R"PEM(-----BEGIN CERTIFICATE-----
REPLACE_WITH_YOUR_CA_CERTIFICATE
-----END CERTIFICATE-----
)PEM";

// This device's client certificate and private key (PEM), signed by a CA the
// broker trusts for client authentication.
constexpr char kClientCert[] = R"PEM(-----BEGIN CERTIFICATE-----
REPLACE_WITH_THIS_DEVICE_CERTIFICATE
-----END CERTIFICATE-----
)PEM";
constexpr char kClientKey[] = R"PEM(-----BEGIN PRIVATE KEY-----
REPLACE_WITH_THIS_DEVICE_PRIVATE_KEY
-----END PRIVATE KEY-----
)PEM";

// --- Time --------------------------------------------------------------------
constexpr char kNtpServer1[] = "pool.ntp.org";
constexpr char kNtpServer2[] = "time.google.com";

// --- Readings ----------------------------------------------------------------
// Seconds between readings (5..86400). The `interval` command overrides it
// until the next power cycle.
constexpr uint32_t kPublishIntervalSeconds = 60;

// Metric names sent in "measurements" (1-64 of [a-z0-9_]). Set one to ""
// to stop publishing it.
constexpr char kTemperatureMetric[] = "temperature";
constexpr char kHumidityMetric[] = "humidity";

// --- Hardware ----------------------------------------------------------------
constexpr int kI2cSda = 21;
constexpr int kI2cScl = 22;
constexpr uint8_t kSht31Address = 0x44;  // 0x45 when the ADDR pin is high
constexpr int kLedPin = 2;               // on-board LED of most DevKit boards; -1 for none

// Battery: ADC pin wired to the middle of a voltage divider across the cell,
// or -1 for mains-powered devices (no "battery" field is then sent).
constexpr int kBatteryAdcPin = -1;
// Cell voltage / ADC pin voltage; 2.0 for two equal resistors.
constexpr float kBatteryDividerRatio = 2.0f;
// Below this charge the packet's status is "low_battery".
constexpr uint8_t kLowBatteryPercent = 15;

// --- Power -------------------------------------------------------------------
// true: deep sleep between readings (battery devices). Each wake reads, sends
// what is queued and sleeps again; commands queued by the broker while asleep
// are received on the next wake. false: stay connected.
constexpr bool kDeepSleep = false;
// How long a wake may spend joining Wi-Fi and the broker before giving up
// (the reading stays queued for the next wake).
constexpr uint32_t kWakeConnectBudgetMs = 20000;

}  // namespace config
