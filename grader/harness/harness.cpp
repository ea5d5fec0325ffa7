// The grader's C++ harness, the same for every exercise: the program's main(). It is linked
// with the student's object files, reads the cases file named by argv[1], calls the student's
// functions and reports each call on file descriptor 3, following the harness protocol of
// docs/protocols.md, section 2. The exercise's functions come from `bindings.inc`, which the
// grader generates from the task signatures of exercise.json: one weak declaration and one
// entry of kBindings per task.
//
// Things a submission may do that must not disturb the report:
//   - leave a function out: the declarations are weak, so the program still links and the
//     missing function has a null address;
//   - throw anything: each call is wrapped, and only that case is lost;
//   - die inside a call (crash, exit, abort): every channel line goes out in one write(2)
//     before the call, so the grader sees `start` without a result and nothing is torn or
//     stuck in a buffer;
//   - print: stdout and stderr are pointed at /dev/null before the first hidden case, for good;
//   - change the locale or the floating-point environment: numbers are formatted here by hand
//     and the environment is reset before every call;
//   - define helpers with common names: everything here except main and the declarations of
//     the exercise's functions has internal linkage.
// A student's own main() is renamed by the grader (-Dmain=...), so this is the only main of
// the program.
#include <cxxabi.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cfenv>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <typeinfo>
#include <vector>

namespace {

/// One argument of a call, in the member its kind uses.
struct Arg {
  double number = 0.0;
  int integer = 0;
  bool boolean = false;
  std::vector<double> vector;
  std::vector<std::vector<double>> matrix;
};

/// One function of the exercise: its name, the kinds of its parameters and result
/// ("nnv:n": two numbers and a vector in, a number out; letters n i b v m), whether the
/// student defined it, and the call, which returns the result in the protocol's form.
struct Binding {
  const char* name;
  const char* kinds;
  bool (*defined)();
  std::string (*call)(const Arg* args);
};

std::string encode(double value);
std::string encode(int value);
std::string encode(bool value);
std::string encode(const std::vector<double>& value);
std::string encode(const std::vector<std::vector<double>>& value);

}  // namespace

// The student contract, declared weak and without the exercise's header so that nothing here
// can clash with a student's own declarations: this file is compiled on its own.
#include "bindings.inc"

namespace {

constexpr int kChannelFd = 3;
// Channel lines stay below PIPE_BUF (4096 bytes), so each write is atomic.
constexpr std::size_t kMaxMessageBytes = 2000;

struct Case {
  std::string index;  // kept as written: the grader's own number
  const Binding* function;
  bool hidden;
  std::vector<Arg> args;
};

/// Sends one channel line (a newline is added) in a single write(2).
void emit(std::string line) {
  line += '\n';
  ssize_t written;
  do {
    written = ::write(kChannelFd, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
}

/// The protocol's escaping, so that a message stays on one line; long
/// messages are cut (never inside an escape sequence).
std::string escape(const char* text) {
  std::string out;
  for (const char* p = text; *p != '\0'; ++p) {
    if (out.size() >= kMaxMessageBytes) {
      out += "...";
      break;
    }
    switch (*p) {
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += *p;
        break;
    }
  }
  return out;
}

/// A double as a C99 hex float (like %a), or nan / inf / -inf. Written by
/// hand so that a locale set by the submission cannot change the radix point.
std::string hex_float(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  const bool negative = (bits >> 63) != 0;
  const auto biased = static_cast<int>((bits >> 52) & 0x7ffU);
  std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
  std::string out = negative ? "-0x" : "0x";
  if (biased == 0 && mantissa == 0) return out + "0p+0";
  out += biased == 0 ? '0' : '1';  // subnormals keep the exponent -1022
  const int exponent = biased == 0 ? -1022 : biased - 1023;
  if (mantissa != 0) {
    out += '.';
    static const char kDigits[] = "0123456789abcdef";
    for (int shift = 48; shift >= 0 && mantissa != 0; shift -= 4) {
      out += kDigits[(mantissa >> shift) & 0xfU];
      mantissa &= (std::uint64_t{1} << shift) - 1;
    }
  }
  out += exponent < 0 ? "p-" : "p+";
  out += std::to_string(exponent < 0 ? -exponent : exponent);
  return out;
}

const Binding* find_function(const std::string& name) {
  for (const Binding& binding : kBindings) {
    if (name == binding.name) return &binding;
  }
  return nullptr;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t begin = 0;
  while (begin <= line.size()) {
    std::size_t end = line.find(' ', begin);
    if (end == std::string::npos) end = line.size();
    fields.push_back(line.substr(begin, end - begin));
    begin = end + 1;
  }
  return fields;
}

bool parse_double(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

/// "[a,b,c]" (or "[]") into numbers.
bool parse_list(const std::string& text, std::vector<double>& out) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  out.clear();
  const std::string inner = text.substr(1, text.size() - 2);
  if (inner.empty()) return true;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = inner.find(',', begin);
    double x = 0.0;
    if (!parse_double(inner.substr(begin, end - begin), x)) return false;
    out.push_back(x);
    if (end == std::string::npos) return true;
    begin = end + 1;
  }
}

/// "[[a,b],[c,d]]" (or "[]") into rows.
bool parse_rows(const std::string& text, std::vector<std::vector<double>>& out) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  out.clear();
  std::size_t at = 1;
  while (at < text.size() - 1) {
    if (text[at] != '[') return false;
    const std::size_t close = text.find(']', at);
    if (close == std::string::npos) return false;
    std::vector<double> row;
    if (!parse_list(text.substr(at, close - at + 1), row)) return false;
    out.push_back(std::move(row));
    at = close + 1;
    if (at < text.size() - 1) {
      if (text[at] != ',') return false;
      ++at;
    }
  }
  return true;
}

bool parse_arg(char kind, const std::string& text, Arg& arg) {
  switch (kind) {
    case 'n':
      return parse_double(text, arg.number);
    case 'i': {
      if (text.empty()) return false;
      char* end = nullptr;
      const long value = std::strtol(text.c_str(), &end, 10);
      arg.integer = static_cast<int>(value);
      return end == text.c_str() + text.size() && value == arg.integer;
    }
    case 'b':
      arg.boolean = text == "true";
      return text == "true" || text == "false";
    case 'v':
      return parse_list(text, arg.vector);
    case 'm':
      return parse_rows(text, arg.matrix);
    default:
      return false;
  }
}

std::string encode(double value) { return hex_float(value); }
std::string encode(int value) { return std::to_string(value); }
std::string encode(bool value) { return value ? "true" : "false"; }
std::string encode(const std::vector<double>& value) {
  std::string out = "[";
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (i != 0) out += ',';
    out += hex_float(value[i]);
  }
  return out + "]";
}
std::string encode(const std::vector<std::vector<double>>& value) {
  std::string out = "[";
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (i != 0) out += ',';
    out += encode(value[i]);
  }
  return out + "]";
}

/// Reads the whole cases file before any student function runs. A malformed
/// file is the grader's fault: say so on stderr and exit without `ready`.
bool read_cases(const char* path, std::vector<Case>& cases) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "harness: cannot open cases file %s\n", path);
    return false;
  }
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line);
    Case c;
    c.function = fields.size() >= 2 ? find_function(fields[1]) : nullptr;
    // The kinds the grader asks for must be those this harness was generated with.
    const std::string kinds = c.function != nullptr ? c.function->kinds : "";
    const std::size_t arity = kinds.find(':');
    const bool ok = fields.size() >= 4 && !fields[0].empty() &&
                    fields[0].find_first_not_of("0123456789") == std::string::npos &&
                    c.function != nullptr && (fields[2] == "v" || fields[2] == "h") &&
                    fields[3] == kinds && arity != std::string::npos && fields.size() == 4 + arity;
    if (ok) {
      c.index = fields[0];
      c.hidden = fields[2] == "h";
      c.args.resize(arity);
      for (std::size_t i = 0; i < arity; ++i) {
        if (!parse_arg(kinds[i], fields[4 + i], c.args[i])) {
          std::fprintf(stderr, "harness: %s:%d: bad argument '%s'\n", path, line_number,
                       fields[4 + i].c_str());
          return false;
        }
      }
      cases.push_back(std::move(c));
    } else {
      std::fprintf(stderr, "harness: %s:%d: malformed case line\n", path, line_number);
      return false;
    }
  }
  return true;
}

/// Flushes what visible cases printed, then sends fd 1 and fd 2 to /dev/null
/// for the rest of the run. No copy of the old descriptors is kept.
void silence_output() {
  std::fflush(stdout);
  std::cout.flush();
  std::clog.flush();
  std::cerr.flush();
  std::fflush(stderr);
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd < 0) {
    ::close(1);  // without /dev/null, output must still go nowhere
    ::close(2);
    return;
  }
  ::dup2(null_fd, 1);
  ::dup2(null_fd, 2);
  if (null_fd > 2) ::close(null_fd);
}

std::string type_name(const std::type_info& type) {
  int status = 0;
  char* demangled = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
  std::string name = (status == 0 && demangled != nullptr) ? demangled : type.name();
  std::free(demangled);
  return name;
}

void run_case(const Case& c) {
  emit("start " + c.index);
  if (!c.function->defined()) {
    emit("missing " + c.index);
    return;
  }
  // A rounding mode or trap mask left by an earlier case must not cost this one.
  std::fesetenv(FE_DFL_ENV);
  std::string result;
  try {
    result = c.function->call(c.args.data());
  } catch (const std::exception& e) {
    const char* what = e.what();
    std::string message = escape(what != nullptr ? what : "");
    if (message.empty()) message = "(no message)";
    emit("exception " + c.index + " " + escape(type_name(typeid(e)).c_str()) + ": " + message);
    return;
  } catch (...) {
    emit("exception " + c.index + " unknown: non-standard exception");
    return;
  }
  emit("value " + c.index + " " + result);
}

}  // namespace

int main(int argc, char** argv) {
  // Static initialisers of the submission ran before main: undo a locale
  // they may have set, since strtod below reads the radix point from it.
  uselocale(LC_GLOBAL_LOCALE);
  std::setlocale(LC_ALL, "C");
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CASES_FILE\n", argc > 0 ? argv[0] : "harness");
    return 2;
  }
  std::vector<Case> cases;
  if (!read_cases(argv[1], cases)) return 2;

  emit("ready");
  bool silenced = false;
  for (const Case& c : cases) {
    if (c.hidden && !silenced) {
      silence_output();
      silenced = true;
    }
    run_case(c);
  }
  emit("done");
  // Leave without running the submission's static destructors or atexit
  // handlers, after handing on what visible cases printed.
  std::cout.flush();
  std::clog.flush();
  std::fflush(nullptr);
  ::_exit(0);
}
