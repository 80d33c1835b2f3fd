// Host stub: Arduino-ESP32 2.0.17 Client.h / WiFiClient.h / WiFiClientSecure.h.
#pragma once

#include "Arduino.h"

class Client : public Stream {
 public:
  virtual int connect(const char* host, uint16_t port) = 0;
  virtual uint8_t connected() = 0;
  virtual void stop() = 0;
};

class WiFiClient : public Client {
 public:
  int connect(const char* host, uint16_t port);
  uint8_t connected();
  void stop();
};

class WiFiClientSecure : public WiFiClient {
 public:
  WiFiClientSecure();
  void setCACert(const char* rootCA);
  void setCertificate(const char* client_ca);
  void setPrivateKey(const char* private_key);
  void setHandshakeTimeout(unsigned long handshake_timeout);
};
