// Host stub: 256dpi/arduino-mqtt 2.5.2 src/MQTTClient.h (public members the sketch uses).
#pragma once

#include "Arduino.h"
#include "WiFiClientSecure.h"  // Client

class MQTTClient;

typedef void (*MQTTClientCallbackAdvanced)(MQTTClient* client, char topic[], char bytes[], int length);

class MQTTClient {
 public:
  explicit MQTTClient(int bufSize = 128) : MQTTClient(bufSize, bufSize) {}
  MQTTClient(int readBufSize, int writeBufSize);
  ~MQTTClient();

  void begin(Client& _client);
  void begin(const char _hostname[], int _port, Client& _client) {
    this->begin(_client);
    this->setHost(_hostname, _port);
  }
  void onMessageAdvanced(MQTTClientCallbackAdvanced cb);
  void setHost(const char hostname[], int port);
  void setWill(const char topic[], const char payload[], bool retained, int qos);
  void setKeepAlive(int keepAlive);
  void setCleanSession(bool cleanSession);
  void setTimeout(int timeout);

  bool connect(const char clientId[], bool skip = false) { return this->connect(clientId, nullptr, nullptr, skip); }
  bool connect(const char clientID[], const char username[], const char password[], bool skip = false);

  bool publish(const char topic[], const char payload[], bool retained, int qos) {
    return this->publish(topic, (char*)payload, (int)strlen(payload), retained, qos);
  }
  bool publish(const char topic[], const char payload[], int length, bool retained, int qos);

  bool subscribe(const char topic[], int qos);
  bool loop();
  bool connected();
  bool disconnect();
};
