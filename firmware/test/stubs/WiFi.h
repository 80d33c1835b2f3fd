// Host stub: Arduino-ESP32 2.0.17 libraries/WiFi/src (WiFiType.h, WiFiGeneric.h, WiFiSTA.h,
// WiFiClient.h, WiFi.h): the members the sketch uses, with every overload of the ones it calls
// so that overload resolution matches the device. See README.md for what was checked.
#pragma once

#include <cstdint>

#include "Arduino.h"

// WiFiType.h
typedef enum {
  WL_NO_SHIELD = 255,  // for compatibility with WiFi Shield library
  WL_IDLE_STATUS = 0,
  WL_NO_SSID_AVAIL = 1,
  WL_SCAN_COMPLETED = 2,
  WL_CONNECTED = 3,
  WL_CONNECT_FAILED = 4,
  WL_CONNECTION_LOST = 5,
  WL_DISCONNECTED = 6
} wl_status_t;

// ESP-IDF 4.4 esp_wifi_types.h
typedef enum {
  WIFI_MODE_NULL = 0,
  WIFI_MODE_STA,
  WIFI_MODE_AP,
  WIFI_MODE_APSTA,
  WIFI_MODE_MAX
} wifi_mode_t;

// WiFiType.h
#define WiFiMode_t wifi_mode_t
#define WIFI_OFF WIFI_MODE_NULL
#define WIFI_STA WIFI_MODE_STA
#define WIFI_AP WIFI_MODE_AP
#define WIFI_AP_STA WIFI_MODE_APSTA

// WiFiGeneric.h
class WiFiGenericClass {
 public:
  static bool mode(wifi_mode_t);
  static wifi_mode_t getMode();
};

// WiFiSTA.h
typedef enum { WPA2_AUTH_TLS = 0, WPA2_AUTH_PEAP = 1, WPA2_AUTH_TTLS = 2 } wpa2_auth_method_t;

class WiFiSTAClass {
 public:
  wl_status_t begin(const char* wpa2_ssid, wpa2_auth_method_t method, const char* wpa2_identity = NULL,
                    const char* wpa2_username = NULL, const char* wpa2_password = NULL, const char* ca_pem = NULL,
                    const char* client_crt = NULL, const char* client_key = NULL, int32_t channel = 0,
                    const uint8_t* bssid = 0, bool connect = true);
  wl_status_t begin(const String& wpa2_ssid, wpa2_auth_method_t method,
                    const String& wpa2_identity = (const char*)NULL, const String& wpa2_username = (const char*)NULL,
                    const String& wpa2_password = (const char*)NULL, const String& ca_pem = (const char*)NULL,
                    const String& client_crt = (const char*)NULL, const String& client_key = (const char*)NULL,
                    int32_t channel = 0, const uint8_t* bssid = 0, bool connect = true);
  wl_status_t begin(const char* ssid, const char* passphrase = NULL, int32_t channel = 0, const uint8_t* bssid = NULL,
                    bool connect = true);
  wl_status_t begin(const String& ssid, const String& passphrase = (const char*)NULL, int32_t channel = 0,
                    const uint8_t* bssid = NULL, bool connect = true);
  wl_status_t begin(char* ssid, char* passphrase = NULL, int32_t channel = 0, const uint8_t* bssid = NULL,
                    bool connect = true);
  wl_status_t begin();

  bool disconnect(bool wifioff = false, bool eraseap = false);

  static wl_status_t status();
};

// WiFi.h (the real class also derives from WiFiScanClass and WiFiAPClass, which declare
// nothing the sketch calls)
class WiFiClass : public WiFiGenericClass, public WiFiSTAClass {};
extern WiFiClass WiFi;

// WiFiClient.h
class ESPLwIPClient : public Client {
 public:
  virtual int connect(IPAddress ip, uint16_t port, int32_t timeout) = 0;
  virtual int connect(const char* host, uint16_t port, int32_t timeout) = 0;
  virtual int setTimeout(uint32_t seconds) = 0;
};

class WiFiClient : public ESPLwIPClient {
 public:
  WiFiClient();
  ~WiFiClient();
  int connect(IPAddress ip, uint16_t port) override;
  int connect(IPAddress ip, uint16_t port, int32_t timeout) override;
  int connect(const char* host, uint16_t port) override;
  int connect(const char* host, uint16_t port, int32_t timeout) override;
  size_t write(uint8_t data) override;
  size_t write(const uint8_t* buf, size_t size) override;
  int available() override;
  int read() override;
  int read(uint8_t* buf, size_t size) override;
  int peek() override;
  void flush() override;
  void stop() override;
  uint8_t connected() override;
  operator bool() override;
  int setTimeout(uint32_t seconds) override;
};
