// Host stub: Arduino-ESP32 2.0.17 libraries/Wire/src/Wire.h (the members the sketch uses,
// with every overload of the ones it calls so overload resolution matches the device).
#pragma once

#include "Arduino.h"

class TwoWire : public Stream {
 public:
  bool begin(int sda, int scl, uint32_t frequency = 0);  // returns true, if successful init of i2c bus
  bool begin(uint8_t slaveAddr, int sda, int scl, uint32_t frequency);
  // Explicit Overload for Arduino MainStream API compatibility
  inline bool begin() { return begin(-1, -1, static_cast<uint32_t>(0)); }
  inline bool begin(uint8_t addr) { return begin(addr, -1, -1, 0); }
  inline bool begin(int addr) { return begin(static_cast<uint8_t>(addr), -1, -1, 0); }

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

  inline size_t write(const char* s) { return write((uint8_t*)s, strlen(s)); }
  inline size_t write(unsigned long n) { return write((uint8_t)n); }
  inline size_t write(long n) { return write((uint8_t)n); }
  inline size_t write(unsigned int n) { return write((uint8_t)n); }
  inline size_t write(int n) { return write((uint8_t)n); }
};
extern TwoWire Wire;
