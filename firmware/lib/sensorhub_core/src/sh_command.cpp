#include "sh_command.h"

#include <cstring>

namespace sh {

namespace {

// A deliberately small JSON reader: one object of string, number, true,
// false or null values. Nested values are rejected, which is all a command
// needs and keeps the device free of a JSON library.
class Reader {
 public:
  Reader(const char* s, size_t n) : s_(s), end_(s + n) {}

  void skipSpace() {
    while (s_ < end_ && (*s_ == ' ' || *s_ == '\t' || *s_ == '\n' || *s_ == '\r')) ++s_;
  }
  bool consume(char c) {
    skipSpace();
    if (s_ < end_ && *s_ == c) {
      ++s_;
      return true;
    }
    return false;
  }
  bool atEnd() {
    skipSpace();
    return s_ == end_;
  }
  char peek() {
    skipSpace();
    return s_ < end_ ? *s_ : '\0';
  }

  // Reads a JSON string into `out` (truncation is an error). Only the simple
  // escapes are supported; \u sequences are rejected.
  bool readString(char* out, size_t outSize) {
    if (!consume('"')) return false;
    size_t n = 0;
    while (s_ < end_ && *s_ != '"') {
      char c = *s_++;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (s_ >= end_) return false;
        const char e = *s_++;
        switch (e) {
          case '"': c = '"'; break;
          case '\\': c = '\\'; break;
          case '/': c = '/'; break;
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          default: return false;
        }
      }
      if (n + 1 >= outSize) return false;
      out[n++] = c;
    }
    if (s_ >= end_) return false;
    ++s_;  // closing quote
    out[n] = '\0';
    return true;
  }

  // Reads a JSON number. `isInteger` is false when it has a fraction or
  // exponent. Magnitudes beyond 2^53 are reported as not integer.
  bool readNumber(double& value, bool& isInteger) {
    skipSpace();
    const char* start = s_;
    bool negative = false;
    if (s_ < end_ && *s_ == '-') {
      negative = true;
      ++s_;
    }
    if (s_ >= end_ || *s_ < '0' || *s_ > '9') return false;
    if (*s_ == '0' && s_ + 1 < end_ && s_[1] >= '0' && s_[1] <= '9') return false;  // no leading zeros
    double v = 0;
    while (s_ < end_ && *s_ >= '0' && *s_ <= '9') v = v * 10 + (*s_++ - '0');
    isInteger = true;
    if (s_ < end_ && *s_ == '.') {
      ++s_;
      if (s_ >= end_ || *s_ < '0' || *s_ > '9') return false;
      double scale = 0.1;
      while (s_ < end_ && *s_ >= '0' && *s_ <= '9') {
        const int digit = *s_++ - '0';
        if (digit != 0) isInteger = false;
        v += digit * scale;
        scale /= 10;
      }
    }
    if (s_ < end_ && (*s_ == 'e' || *s_ == 'E')) {
      ++s_;
      if (s_ < end_ && (*s_ == '+' || *s_ == '-')) ++s_;
      if (s_ >= end_ || *s_ < '0' || *s_ > '9') return false;
      while (s_ < end_ && *s_ >= '0' && *s_ <= '9') ++s_;
      isInteger = false;  // exponents are not expected in commands
    }
    if (v > 9007199254740992.0) isInteger = false;
    value = negative ? -v : v;
    return s_ > start;
  }

  bool readLiteral(const char* word) {
    skipSpace();
    const size_t n = std::strlen(word);
    if (static_cast<size_t>(end_ - s_) < n || std::memcmp(s_, word, n) != 0) return false;
    s_ += n;
    return true;
  }

 private:
  const char* s_;
  const char* end_;
};

}  // namespace

const char* commandErrorName(CommandError error) {
  switch (error) {
    case CommandError::None:
      return "none";
    case CommandError::Malformed:
      return "malformed";
    case CommandError::MissingCommand:
      return "missing_command";
    case CommandError::UnknownCommand:
      return "unknown_command";
    case CommandError::BadInterval:
      return "bad_interval";
  }
  return "malformed";
}

Command parseCommand(const char* payload, size_t length) {
  Command result;
  result.error = CommandError::Malformed;
  if (payload == nullptr || length == 0 || length > kMaxCommandPayload) return result;

  Reader r(payload, length);
  char name[32] = "";
  bool haveName = false;
  bool haveSeconds = false;
  bool secondsIsInteger = false;
  double seconds = 0;

  if (!r.consume('{')) return result;
  if (!r.consume('}')) {
    do {
      char key[32];
      if (!r.readString(key, sizeof key) || !r.consume(':')) return result;
      const char next = r.peek();
      if (next == '"') {
        char text[32];
        if (!r.readString(text, sizeof text)) return result;
        if (std::strcmp(key, "command") == 0) {
          std::memcpy(name, text, sizeof name);
          haveName = true;
        }
      } else if (next == '-' || (next >= '0' && next <= '9')) {
        double v = 0;
        bool isInteger = false;
        if (!r.readNumber(v, isInteger)) return result;
        if (std::strcmp(key, "seconds") == 0) {
          haveSeconds = true;
          seconds = v;
          secondsIsInteger = isInteger;
        }
      } else if (!(r.readLiteral("true") || r.readLiteral("false") || r.readLiteral("null"))) {
        return result;  // nested objects/arrays or garbage
      }
    } while (r.consume(','));
    if (!r.consume('}')) return result;
  }
  if (!r.atEnd()) return result;

  if (!haveName) {
    result.error = CommandError::MissingCommand;
    return result;
  }
  if (std::strcmp(name, "reboot") == 0) {
    result.type = CommandType::Reboot;
  } else if (std::strcmp(name, "ping") == 0) {
    result.type = CommandType::Ping;
  } else if (std::strcmp(name, "interval") == 0) {
    if (!haveSeconds || !secondsIsInteger || seconds < kMinIntervalSeconds || seconds > kMaxIntervalSeconds) {
      result.error = CommandError::BadInterval;
      return result;
    }
    result.type = CommandType::Interval;
    result.intervalSeconds = static_cast<uint32_t>(seconds);
  } else {
    result.error = CommandError::UnknownCommand;
    return result;
  }
  result.error = CommandError::None;
  return result;
}

}  // namespace sh
