// The on-disk cache of prepared exercises and results (cache.hpp): content-addressed JSON files,
// written through a temporary file and a rename so that no reader ever sees half an entry.

#include "grader/cache.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/hash.hpp"
#include "value_json.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

constexpr const char* kCacheDirTag =
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by grader (grader cache clear empties it).\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n";

std::string layout_folder() { return fmt::format("v{}", kCacheFormat); }

// A hash used as a file name must be plain lowercase hex, so that no key can name a path.
bool is_hex_key(const std::string& key) {
  if (key.empty() || key.size() > 128) return false;
  for (const char c : key) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Values as one string: "KIND:WIRE" tokens (the value's kind letter and its harness-protocol
// text, hex floats for numbers, so bit for bit) or "-" for no value, separated by spaces: a
// case's arguments and expected value, a mistake model's answers. Read back far faster than a
// JSON object per value: every grade reads the entry.
std::string encode_answers(const std::vector<std::optional<Value>>& answers) {
  std::string text;
  for (const std::optional<Value>& answer : answers) {
    if (!text.empty()) text += ' ';
    if (answer) {
      text += wire_letter(answer->type);
      text += ':';
      text += to_wire(*answer);
    } else {
      text += '-';
    }
  }
  return text;
}

std::vector<std::optional<Value>> decode_answers(const std::string& text) {
  std::vector<std::optional<Value>> answers;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find(' ', at), text.size());
    const std::string_view token(text.data() + at, end - at);
    at = end + 1;
    if (token == "-") {
      answers.emplace_back(std::nullopt);
      continue;
    }
    std::optional<ValueType> type;
    for (const ValueType t : {ValueType::Number, ValueType::Integer, ValueType::Boolean,
                              ValueType::Vector, ValueType::Matrix}) {
      if (token.size() > 2 && token[0] == wire_letter(t) && token[1] == ':') type = t;
    }
    if (!type) throw std::runtime_error("malformed answer");
    std::optional<Value> value = parse_wire(token.substr(2), *type);
    if (!value || value->is_scalar() != is_scalar_type(*type)) {
      throw std::runtime_error("malformed answer");
    }
    value->type = *type;
    answers.emplace_back(std::move(value));
  }
  return answers;
}

json prepared_to_json(const std::string& exercise_hash, const std::string& variant,
                      const PreparedExercise& prepared, const std::string& answers,
                      const std::string& answers_sha256) {
  json cases = json::array();
  for (const GradedCase& c : prepared.cases) {
    const std::vector<std::optional<Value>> args(c.spec.args.begin(), c.spec.args.end());
    cases.push_back({{"id", c.spec.id},
                     {"task", c.spec.task},
                     {"visibility", std::string(to_string(c.spec.visibility))},
                     {"args", encode_answers(args)},
                     {"expected", encode_answers({c.expected})}});
  }
  json mistakes = json::array();
  for (const MistakeModel& m : prepared.mistakes) {
    mistakes.push_back(
        {{"name", m.name}, {"tasks", m.tasks}, {"hint", m.hint}, {"ready", m.ready}});
  }
  json files = json::object();
  for (const auto& [name, bytes] : prepared.files) {
    files[name] = {{"size", bytes.size()}, {"sha256", sha256_hex(bytes)}};
  }
  json root = {{"format", kCacheFormat}, {"exercise_hash", exercise_hash}, {"variant", variant},
               {"cases", cases},         {"mistakes", mistakes},           {"files", files}};
  if (!answers.empty()) root["answers"] = {{"size", answers.size()}, {"sha256", answers_sha256}};
  return root;
}

// The mistake models' answers, apart from the rest of the entry: a line per model, in the
// catalogue's order (empty for a model not run yet). Read only when a task fails.
std::string answers_text(const PreparedExercise& prepared) {
  std::string text;
  for (const MistakeModel& m : prepared.mistakes) text += encode_answers(m.answers) + "\n";
  return text;
}

fs::path answers_file(const fs::path& dir, const std::string& variant) {
  return dir / (variant + "-answers.txt");
}

// Throws (json or std::runtime_error) on anything malformed; the caller treats that as a miss.
PreparedExercise prepared_from_json(const json& root, const std::string& exercise_hash,
                                    const std::string& variant) {
  if (root.at("format").get<int>() != kCacheFormat ||
      root.at("exercise_hash").get<std::string>() != exercise_hash ||
      root.at("variant").get<std::string>() != variant) {
    throw std::runtime_error("key mismatch");
  }
  PreparedExercise prepared;
  for (const json& c : root.at("cases")) {
    GradedCase graded;
    graded.spec.id = c.at("id").get<std::string>();
    graded.spec.task = c.at("task").get<std::size_t>();
    const auto visibility = parse_visibility(c.at("visibility").get<std::string>());
    if (!visibility) throw std::runtime_error("bad visibility");
    graded.spec.visibility = *visibility;
    for (std::optional<Value>& arg : decode_answers(c.at("args").get<std::string>())) {
      if (!arg) throw std::runtime_error("missing argument");
      graded.spec.args.push_back(std::move(*arg));
    }
    std::vector<std::optional<Value>> expected =
        decode_answers(c.at("expected").get<std::string>());
    if (expected.size() != 1 || !expected[0]) throw std::runtime_error("missing expected value");
    graded.expected = std::move(*expected[0]);
    prepared.cases.push_back(std::move(graded));
  }
  for (const json& m : root.at("mistakes")) {
    MistakeModel model;
    model.name = m.at("name").get<std::string>();
    model.tasks = m.at("tasks").get<std::vector<std::string>>();
    model.hint = m.at("hint").get<std::string>();
    model.ready = m.value("ready", true);
    prepared.mistakes.push_back(std::move(model));
  }
  if (root.contains("answers")) {
    prepared.answers_sha256 = root.at("answers").at("sha256").get<std::string>();
  }
  return prepared;
}

}  // namespace

void write_file_atomically(const fs::path& file, const std::string& text) {
  // Unique per process and per call, so that threads and processes (shards sharing one cache
  // folder) never write the same temporary file; the last rename wins with a whole entry.
  static std::atomic<unsigned long> counter{0};
  const fs::path temp = file.string() + fmt::format(".tmp-{}-{}", ::getpid(), counter++);
  try {
    detail::write_text(temp, text);
  } catch (...) {
    std::error_code ec;
    fs::remove(temp, ec);
    throw;
  }
  std::error_code ec;
  fs::rename(temp, file, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw std::system_error(ec, fmt::format("cannot replace {}", file.string()));
  }
}

fs::path default_cache_dir() {
  // XDG Base Directory: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && *xdg == '/') return fs::path(xdg) / "grader";
  const char* home = std::getenv("HOME");
  if (home != nullptr && *home == '/') return fs::path(home) / ".cache" / "grader";
  return {};
}

Cache::Cache(fs::path dir, std::ostream* warnings) : dir_(std::move(dir)), warnings_(warnings) {}

fs::path Cache::exercise_dir(const std::string& exercise_hash) const {
  return dir_ / layout_folder() / exercise_hash;
}

void Cache::warn(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (warned_ || warnings_ == nullptr) return;
  warned_ = true;
  *warnings_ << fmt::format("grader: warning: cache {}: {}; results are not being stored\n",
                            dir_.string(), message);
}

void Cache::write_entry(const fs::path& file, const std::string& content) {
  std::error_code ec;
  if (!fs::exists(dir_ / "CACHEDIR.TAG", ec)) {
    write_file_atomically(dir_ / "CACHEDIR.TAG", kCacheDirTag);
  }
  write_file_atomically(file, content);
}

std::optional<SubmissionResult> Cache::load_result(const std::string& exercise_hash,
                                                   const std::string& content_hash) const {
  if (!is_hex_key(exercise_hash) || !is_hex_key(content_hash)) return std::nullopt;
  const fs::path file = exercise_dir(exercise_hash) / "results" / (content_hash + ".json");
  const std::optional<std::string> text = detail::read_text(file);
  if (!text) return std::nullopt;
  try {
    const json root = json::parse(*text);
    const json& key = root.at("cache");
    if (key.at("format").get<int>() != kCacheFormat ||
        key.at("exercise_hash").get<std::string>() != exercise_hash ||
        key.at("content_hash").get<std::string>() != content_hash) {
      return std::nullopt;
    }
    Report report = parse_json_report(*text, file.string());
    if (report.submissions.size() != 1 || report.submissions.front().content_hash != content_hash) {
      return std::nullopt;
    }
    return std::move(report.submissions.front());
  } catch (const std::exception&) {
    return std::nullopt;  // corrupt or foreign: ignored, and overwritten by the next store
  }
}

void Cache::store_result(const std::string& exercise_hash, const SubmissionResult& result) {
  if (!is_hex_key(exercise_hash) || !is_hex_key(result.content_hash)) return;
  if (result.status == SubmissionStatus::InternalError) return;
  try {
    Report report;
    report.exercise = "cache";
    report.submissions.push_back(result);
    report.submissions.front().cached = false;
    std::ostringstream text;
    write_report(*make_json_reporter(text), report);
    // The report is one JSON object: the cache's key joins it as its last member, without
    // parsing and dumping the report a second time.
    std::string entry = text.str();
    const std::size_t end = entry.rfind('}');
    if (end == std::string::npos) return;
    const json key = {{"format", kCacheFormat},
                      {"exercise_hash", exercise_hash},
                      {"content_hash", result.content_hash}};
    entry.replace(end, std::string::npos, ",\n  \"cache\": " + key.dump() + "\n}\n");
    write_entry(exercise_dir(exercise_hash) / "results" / (result.content_hash + ".json"), entry);
  } catch (const std::exception& e) {
    warn(e.what());
  }
}

std::optional<PreparedExercise> Cache::load_prepared(const std::string& exercise_hash,
                                                     const std::string& variant) const {
  if (!is_hex_key(exercise_hash)) return std::nullopt;
  const fs::path dir = exercise_dir(exercise_hash);
  const std::optional<std::string> text = detail::read_text(dir / (variant + ".json"));
  if (!text) return std::nullopt;
  try {
    const json root = json::parse(*text);
    PreparedExercise prepared = prepared_from_json(root, exercise_hash, variant);
    for (const auto& [name, meta] : root.at("files").items()) {
      const std::optional<std::string> bytes = detail::read_text(dir / "files" / name);
      if (!bytes || bytes->size() != meta.at("size").get<std::size_t>() ||
          sha256_hex(*bytes) != meta.at("sha256").get<std::string>()) {
        return std::nullopt;
      }
      prepared.files[name] = *bytes;
    }
    return prepared;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

void Cache::store_prepared(const std::string& exercise_hash, const std::string& variant,
                           const PreparedExercise& prepared) {
  if (!is_hex_key(exercise_hash)) return;
  const fs::path dir = exercise_dir(exercise_hash);
  try {
    // Products first: the entry that names them is written last, so it never points at a
    // missing file (a stale one is caught by its size and hash).
    for (const auto& [name, bytes] : prepared.files) {
      const fs::path file(name);
      if (file.is_absolute() || file.lexically_normal().string().rfind("..", 0) == 0) continue;
      write_entry(dir / "files" / file, bytes);
    }
    // The answers before the entry that names them by hash (a stale file is a miss).
    const std::string answers = prepared.mistakes.empty() ? "" : answers_text(prepared);
    const std::string answers_sha256 = answers.empty() ? "" : sha256_hex(answers);
    if (!answers.empty()) write_entry(answers_file(dir, variant), answers);
    // Compact: every grade reads it, and indentation was a third of its bytes.
    write_entry(
        dir / (variant + ".json"),
        prepared_to_json(exercise_hash, variant, prepared, answers, answers_sha256).dump() + "\n");
  } catch (const std::exception& e) {
    warn(e.what());
  }
}

std::optional<std::vector<std::vector<std::optional<Value>>>> Cache::load_answers(
    const std::string& exercise_hash, const std::string& variant, const std::string& sha256,
    std::size_t models) const {
  if (!is_hex_key(exercise_hash) || sha256.empty()) return std::nullopt;
  const std::optional<std::string> text =
      detail::read_text(answers_file(exercise_dir(exercise_hash), variant));
  if (!text || sha256_hex(*text) != sha256) return std::nullopt;
  try {
    std::vector<std::vector<std::optional<Value>>> answers;
    for (std::size_t at = 0; at < text->size();) {
      const std::size_t end = text->find('\n', at);
      if (end == std::string::npos) return std::nullopt;
      answers.push_back(decode_answers(text->substr(at, end - at)));
      at = end + 1;
    }
    if (answers.size() != models) return std::nullopt;
    return answers;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::size_t Cache::count_results(const std::string& exercise_hash) const {
  std::size_t count = 0;
  std::error_code ec;
  for (fs::directory_iterator it(exercise_dir(exercise_hash) / "results", ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") ++count;
  }
  return count;
}

std::size_t Cache::clear() {
  std::error_code ec;
  if (!fs::exists(dir_, ec)) return 0;
  std::size_t removed = 0;
  std::vector<fs::path> doomed;
  for (fs::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool layout = name.size() > 1 && name[0] == 'v' &&
                        name.find_first_not_of("0123456789", 1) == std::string::npos;
    if (layout || name == "CACHEDIR.TAG" || name == "sandbox") doomed.push_back(it->path());
  }
  if (ec) {
    throw UsageError(fmt::format("cannot list the cache {}: {}", dir_.string(), ec.message()));
  }
  for (const fs::path& path : doomed) {
    if (fs::is_directory(path, ec)) {
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_directory(ec)) ++removed;
      }
    } else {
      ++removed;
    }
    fs::remove_all(path, ec);
    if (ec) {
      throw UsageError(fmt::format("cannot remove {}: {}", path.string(), ec.message()));
    }
  }
  return removed;
}

}  // namespace grader
