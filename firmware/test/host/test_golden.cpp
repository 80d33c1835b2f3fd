// Encodes every golden case from its .input file and compares the result,
// byte for byte, with the "payload" and "topic" in the matching .json file.
// libs/domain/src/wire/firmware-golden.spec.ts feeds the same payloads to the
// server's parser, so encoder and parser are pinned to the same bytes.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "check.h"
#include "sh_telemetry.h"

namespace fs = std::filesystem;

namespace {

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Returns the decoded JSON string value of top-level `"key": "..."` in
// `json`. Enough for the golden files, which are written by hand.
bool jsonStringField(const std::string& json, const std::string& key, std::string& out) {
  const std::string needle = "\"" + key + "\"";
  size_t i = json.find(needle);
  if (i == std::string::npos) return false;
  i = json.find(':', i + needle.size());
  if (i == std::string::npos) return false;
  i = json.find('"', i);
  if (i == std::string::npos) return false;
  out.clear();
  for (++i; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"') return true;
    if (c == '\\') {
      if (++i >= json.size()) return false;
      const char e = json[i];
      if (e == '"' || e == '\\' || e == '/') {
        out += e;
      } else {
        return false;  // other escapes are not used in golden payloads
      }
    } else {
      out += c;
    }
  }
  return false;
}

struct GoldenInput {
  std::string deviceId;
  sh::Sample sample{};
  std::vector<std::string> metricNames;
};

bool parseInput(const std::string& text, GoldenInput& in, std::string& error) {
  in.sample.batteryPercent = -1;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string::npos) {
      error = "line without '=': " + line;
      return false;
    }
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "device_id") {
      in.deviceId = value;
    } else if (key == "epoch_ms") {
      in.sample.epochMs = std::strtoll(value.c_str(), nullptr, 10);
    } else if (key == "status") {
      if (value == "ok") in.sample.status = sh::DeviceStatus::Ok;
      else if (value == "sensor_error") in.sample.status = sh::DeviceStatus::SensorError;
      else if (value == "low_battery") in.sample.status = sh::DeviceStatus::LowBattery;
      else {
        error = "unknown status " + value;
        return false;
      }
    } else if (key == "battery") {
      in.sample.batteryPercent = value == "absent" ? -1 : static_cast<int8_t>(std::atoi(value.c_str()));
    } else if (key.rfind("metric.", 0) == 0) {
      const size_t index = in.metricNames.size();
      if (index >= sh::kMaxMetrics) {
        error = "too many metrics";
        return false;
      }
      in.metricNames.push_back(key.substr(7));
      if (value != "absent") {
        in.sample.values[index] = std::strtof(value.c_str(), nullptr);
        in.sample.presentMask = static_cast<uint8_t>(in.sample.presentMask | (1u << index));
      }
    } else {
      error = "unknown key " + key;
      return false;
    }
  }
  return true;
}

}  // namespace

TEST("golden: every golden packet is produced byte for byte from its input") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(g_goldenDir)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  CHECK(files.size() >= 5);
  for (const fs::path& jsonPath : files) {
    const std::string json = readFile(jsonPath);
    std::string topic, payload, inputName;
    if (!jsonStringField(json, "topic", topic) || !jsonStringField(json, "payload", payload) ||
        !jsonStringField(json, "input", inputName)) {
      check::fail(__FILE__, __LINE__, jsonPath.string() + ": missing topic, payload or input");
      continue;
    }
    GoldenInput in;
    std::string error;
    if (!parseInput(readFile(jsonPath.parent_path() / inputName), in, error)) {
      check::fail(__FILE__, __LINE__, jsonPath.string() + ": " + error);
      continue;
    }
    std::vector<const char*> names;
    for (const std::string& n : in.metricNames) names.push_back(n.c_str());

    char buf[512];
    const size_t n = sh::encodeTelemetry(in.deviceId.c_str(), in.sample, names.data(), names.size(), buf, sizeof buf);
    if (std::string(buf, n) != payload) {
      check::fail(__FILE__, __LINE__,
                  jsonPath.filename().string() + "\n    encoded: " + std::string(buf, n) + "\n    golden:  " + payload);
    }
    char topicBuf[128];
    const size_t t = sh::buildTopic(in.deviceId.c_str(), "telemetry", topicBuf, sizeof topicBuf);
    if (std::string(topicBuf, t) != topic) {
      check::fail(__FILE__, __LINE__, jsonPath.filename().string() + ": topic " + std::string(topicBuf, t));
    }
  }
}
