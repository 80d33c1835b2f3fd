// Host stub: Arduino-ESP32 2.0.17 libraries/WiFiClientSecure/src/WiFiClientSecure.h (the
// members the sketch uses; Client and WiFiClient come from Arduino.h / WiFi.h as on the device).
#pragma once

#include "Arduino.h"
#include "WiFi.h"

class WiFiClientSecure : public WiFiClient {
 public:
  WiFiClientSecure();
  ~WiFiClientSecure();
  void setCACert(const char* rootCA);
  void setCertificate(const char* client_ca);
  void setPrivateKey(const char* private_key);
  void setHandshakeTimeout(unsigned long handshake_timeout);  // seconds
};
