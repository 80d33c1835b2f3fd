// Host stub: 256dpi/arduino-mqtt 2.5.2 src/MQTTClient.h: the public members the sketch uses,
// with every overload of the ones it calls so overload resolution matches the device. On ESP32
// the real header defines MQTT_HAS_FUNCTIONAL 1, so the std::function overloads are declared
// too. See README.md for the source this was checked against and what could not be pinned.
#pragma once

#include <functional>

#include "Arduino.h"  // String, IPAddress, Client (the real header includes <Client.h>)

#define MQTT_HAS_FUNCTIONAL 1

class MQTTClient;

typedef void (*MQTTClientCallbackSimple)(String& topic, String& payload);
typedef void (*MQTTClientCallbackAdvanced)(MQTTClient* client, char topic[], char bytes[], int length);
typedef std::function<void(String& topic, String& payload)> MQTTClientCallbackSimpleFunction;
typedef std::function<void(MQTTClient* client, char topic[], char bytes[], int length)>
    MQTTClientCallbackAdvancedFunction;

class MQTTClient {
 public:
  explicit MQTTClient(int bufSize = 128) : MQTTClient(bufSize, bufSize) {}
  MQTTClient(int readSize, int writeBufSize);

  ~MQTTClient();

  void begin(Client& _client);
  void begin(const char _hostname[], Client& _client) { this->begin(_hostname, 1883, _client); }
  void begin(const char _hostname[], int _port, Client& _client) {
    this->begin(_client);
    this->setHost(_hostname, _port);
  }
  void begin(IPAddress _address, Client& _client) { this->begin(_address, 1883, _client); }
  void begin(IPAddress _address, int _port, Client& _client) {
    this->begin(_client);
    this->setHost(_address, _port);
  }

  void onMessage(MQTTClientCallbackSimple cb);
  void onMessageAdvanced(MQTTClientCallbackAdvanced cb);
  void onMessage(MQTTClientCallbackSimpleFunction cb);
  void onMessageAdvanced(MQTTClientCallbackAdvancedFunction cb);

  void setHost(const char _hostname[]) { this->setHost(_hostname, 1883); }
  void setHost(const char hostname[], int port);
  void setHost(IPAddress _address) { this->setHost(_address, 1883); }
  void setHost(IPAddress _address, int port);

  void setWill(const char topic[]) { this->setWill(topic, ""); }
  void setWill(const char topic[], const char payload[]) { this->setWill(topic, payload, false, 0); }
  void setWill(const char topic[], const char payload[], bool retained, int qos);
  void clearWill();

  void setKeepAlive(int keepAlive);
  void setCleanSession(bool cleanSession);
  void setTimeout(int timeout);

  bool connect(const char clientId[], bool skip = false) { return this->connect(clientId, nullptr, nullptr, skip); }
  bool connect(const char clientId[], const char username[], bool skip = false) {
    return this->connect(clientId, username, nullptr, skip);
  }
  bool connect(const char clientID[], const char username[], const char password[], bool skip = false);

  bool publish(const String& topic) { return this->publish(topic.c_str(), ""); }
  bool publish(const char topic[]) { return this->publish(topic, ""); }
  bool publish(const String& topic, const String& payload) { return this->publish(topic.c_str(), payload.c_str()); }
  bool publish(const String& topic, const String& payload, bool retained, int qos) {
    return this->publish(topic.c_str(), payload.c_str(), retained, qos);
  }
  bool publish(const char topic[], const String& payload) { return this->publish(topic, payload.c_str()); }
  bool publish(const char topic[], const String& payload, bool retained, int qos) {
    return this->publish(topic, payload.c_str(), retained, qos);
  }
  bool publish(const char topic[], const char payload[]) {
    return this->publish(topic, (char*)payload, (int)strlen(payload));
  }
  bool publish(const char topic[], const char payload[], bool retained, int qos) {
    return this->publish(topic, (char*)payload, (int)strlen(payload), retained, qos);
  }
  bool publish(const char topic[], const char payload[], int length) {
    return this->publish(topic, payload, length, false, 0);
  }
  bool publish(const char topic[], const char payload[], int length, bool retained, int qos);

  bool subscribe(const String& topic) { return this->subscribe(topic.c_str()); }
  bool subscribe(const String& topic, int qos) { return this->subscribe(topic.c_str(), qos); }
  bool subscribe(const char topic[]) { return this->subscribe(topic, 0); }
  bool subscribe(const char topic[], int qos);

  bool loop();
  bool connected();

  bool disconnect();
};
