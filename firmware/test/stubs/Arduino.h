// Host stub: the subset of Arduino-ESP32 2.0.17's Arduino.h used by the sketch.
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

#define LOW 0x0
#define HIGH 0x1
#define OUTPUT 0x03
#define SERIAL_8N1 0x800001c

// cores/esp32/esp32-hal.h
unsigned long millis();
void delay(uint32_t);
void configTime(long gmtOffset_sec, int daylightOffset_sec, const char* server1, const char* server2 = nullptr,
                const char* server3 = nullptr);

// cores/esp32/esp32-hal-gpio.h
void pinMode(uint8_t pin, uint8_t mode);
void digitalWrite(uint8_t pin, uint8_t val);

// cores/esp32/esp32-hal-adc.h
uint32_t analogReadMilliVolts(uint8_t pin);

// cores/esp32/Print.h
class Print {
 public:
  size_t printf(const char* format, ...) __attribute__((format(printf, 2, 3)));
  size_t println(const char[]);
};

class Stream : public Print {};

// cores/esp32/HardwareSerial.h
class HardwareSerial : public Stream {
 public:
  void begin(unsigned long baud, uint32_t config = SERIAL_8N1, int8_t rxPin = -1, int8_t txPin = -1,
             bool invert = false, unsigned long timeout_ms = 20000UL, uint8_t rxfifo_full_thrhd = 112);
};
extern HardwareSerial Serial;
