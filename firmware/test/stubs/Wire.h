// Host stub: Arduino-ESP32 2.0.17 libraries/Wire/src/Wire.h (the members the sketch uses,
// with every overload of the ones it calls so overload resolution matches the device).
#pragma once

#include "Arduino.h"

class TwoWire : public Stream {
 public:
  bool begin(int sda = -1, int scl = -1, uint32_t frequency = 0);
  void beginTransmission(uint16_t address);
  void beginTransmission(uint8_t address);
  void beginTransmission(int address);
  uint8_t endTransmission(bool sendStop);
  uint8_t endTransmission(void);
  size_t requestFrom(uint16_t address, size_t size, bool sendStop);
  uint8_t requestFrom(uint16_t address, uint8_t size, bool sendStop);
  uint8_t requestFrom(uint16_t address, uint8_t size, uint8_t sendStop);
  size_t requestFrom(uint8_t address, size_t len, bool stopBit);
  uint8_t requestFrom(uint16_t address, uint8_t size);
  uint8_t requestFrom(uint8_t address, uint8_t size, uint8_t sendStop);
  uint8_t requestFrom(uint8_t address, uint8_t size);
  uint8_t requestFrom(int address, int size, int sendStop);
  uint8_t requestFrom(int address, int size);
  size_t write(uint8_t);
  size_t write(const uint8_t*, size_t);
  int available(void);
  int read(void);
};
extern TwoWire Wire;
