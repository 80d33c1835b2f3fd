// Host stub: the subset of Arduino-ESP32 2.0.17's cores/esp32 headers that the sketch and the
// other stubs need (Arduino.h pulls in WString.h, Print.h, Stream.h, IPAddress.h, Client.h and
// HardwareSerial.h, so those declarations live here too). Declarations only; see README.md for
// what was checked against which upstream file and what could not be pinned to 2.0.17.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sys/time.h>
#include <time.h>

#include "esp_attr.h"
#include "esp_system.h"

typedef bool boolean;
typedef uint8_t byte;

// cores/esp32/esp32-hal-gpio.h
#define LOW 0x0
#define HIGH 0x1
#define OUTPUT 0x03
// cores/esp32/HardwareSerial.h (esp32-hal-uart.h)
#define SERIAL_8N1 0x800001c

extern "C" {
// cores/esp32/esp32-hal.h
unsigned long millis();
void delay(uint32_t);

// cores/esp32/esp32-hal-gpio.h
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);

// cores/esp32/esp32-hal-adc.h
uint32_t analogReadMilliVolts(uint8_t pin);

// cores/esp32/Arduino.h (C++ section, extern "C" block)
void configTime(long gmtOffset_sec, int daylightOffset_sec, const char* server1, const char* server2 = nullptr,
                const char* server3 = nullptr);
}

// cores/esp32/WString.h (only what the MQTTClient overload set needs: the implicit
// conversion from const char* that takes part in overload resolution, and c_str()).
class String {
 public:
  String(const char* cstr = "");
  String(const String& str);
  ~String();
  const char* c_str() const;
};

// cores/esp32/IPAddress.h (constructors only: they take part in overload resolution of
// MQTTClient::begin/setHost, which have IPAddress overloads).
class IPAddress {
 public:
  IPAddress();
  IPAddress(uint8_t first_octet, uint8_t second_octet, uint8_t third_octet, uint8_t fourth_octet);
  IPAddress(uint32_t address);
  IPAddress(const uint8_t* address);
};

// cores/esp32/Print.h
class Print {
 public:
  virtual ~Print() {}
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t println(const char[]);
};

// cores/esp32/Stream.h
class Stream : public Print {};

// cores/esp32/Client.h (the pure virtuals a network client implements; arduino-mqtt takes a Client&)
class Client : public Stream {
 public:
  virtual int connect(IPAddress ip, uint16_t port) = 0;
  virtual int connect(const char* host, uint16_t port) = 0;
  virtual size_t write(uint8_t) = 0;
  virtual size_t write(const uint8_t* buf, size_t size) = 0;
  virtual int available() = 0;
  virtual int read() = 0;
  virtual int read(uint8_t* buf, size_t size) = 0;
  virtual int peek() = 0;
  virtual void flush() = 0;
  virtual void stop() = 0;
  virtual uint8_t connected() = 0;
  virtual operator bool() = 0;
};

// cores/esp32/HardwareSerial.h
class HardwareSerial : public Stream {
 public:
  void begin(unsigned long baud, uint32_t config = SERIAL_8N1, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 112);
};
extern HardwareSerial Serial;
