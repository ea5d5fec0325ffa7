// grader serve and grader token: the commands that start the service and hand out access.

#include "grader/server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <sys/socket.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "../files.hpp"
#include "grader/exercise.hpp"
#include "grader/tokens.hpp"
#include "service.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signal) { g_stop_signal = signal; }
// A handler that does nothing, rather than SIG_IGN: a caught signal goes back to its default in
// the programs the sandbox starts, an ignored one would stay ignored.
extern "C" void on_broken_pipe(int) {}

void install_signal_handlers() {
  struct sigaction action {};
  sigemptyset(&action.sa_mask);
  action.sa_handler = on_stop_signal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  action.sa_handler = on_broken_pipe;
  sigaction(SIGPIPE, &action, nullptr);
}

std::pair<std::string, int> parse_listen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  const auto bad = [&] {
    return UsageError(
        fmt::format("--listen {:?}: expected HOST:PORT, e.g. 127.0.0.1:8080", listen));
  };
  if (colon == std::string::npos || colon == 0) throw bad();
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 ||
      port_text.find_first_not_of("0123456789") != std::string::npos) {
    throw bad();
  }
  const int port = std::stoi(port_text);
  if (port > 65535) throw bad();
  return {host, port};
}

fs::path launcher_path(const fs::path& executable) {
  if (const char* env = std::getenv("GRADER_BOX"); env != nullptr && *env != '\0') return env;
  return executable.parent_path() / "grader-box";
}

// The fields of one CSV line (RFC 4180 quotes; the roster is the instructor's own file).
std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

void check_user_id(const std::string& id, const std::string& where) {
  // An id names a folder in class reports and similarity checks: never "." or "..", nor hidden.
  if (id.empty() || id.size() > 100 || id.front() == '.' ||
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") !=
          std::string::npos) {
    throw UsageError(fmt::format(
        "{}user id {:?}: use letters, digits and . _ @ - (at most 100), not starting with '.'",
        where, id));
  }
}

std::string issue_token(Store& store, const std::string& user) {
  const NewToken token = make_token();
  store.add_token(user, token.selector, token.hash);
  return token.token;
}

ExitCode import_roster(const TokenOptions& options, Store& store, std::ostream& out) {
  std::ifstream in(options.roster);
  if (!in) throw UsageError(fmt::format("cannot read the roster {:?}", options.roster.string()));
  std::string line;
  if (!std::getline(in, line)) {
    throw UsageError(
        fmt::format("{}: empty; expected a header line id,name,email", options.roster.string()));
  }
  const std::vector<std::string> header = csv_fields(line);
  const auto column = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return static_cast<int>(i);
    }
    return -1;
  };
  const int id_col = column("id"), name_col = column("name"), email_col = column("email");
  if (id_col < 0) {
    throw UsageError(fmt::format("{}:1: no \"id\" column (expected a header like id,name,email)",
                                 options.roster.string()));
  }
  const auto field = [](const std::vector<std::string>& f, int i) {
    return i >= 0 && static_cast<std::size_t>(i) < f.size() ? f[static_cast<std::size_t>(i)]
                                                            : std::string();
  };
  std::vector<User> users;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty() || line == "\r") continue;
    const std::vector<std::string> f = csv_fields(line);
    User user{field(f, id_col), field(f, name_col), field(f, email_col), options.instructor};
    check_user_id(user.id, fmt::format("{}:{}: ", options.roster.string(), number));
    users.push_back(user);
  }
  out << "id,token\n";
  for (const User& user : users) {
    store.put_user(user);
    out << user.id << "," << issue_token(store, user.id) << "\n";
  }
  return ExitCode::Ok;
}

}  // namespace

ExitCode run_token(const TokenOptions& options, std::ostream& out) {
  // The command line is checked before the data folder is opened (and made).
  if (options.roster.empty()) {
    if (options.user.empty()) throw UsageError("token needs an ID (or --roster FILE)");
    check_user_id(options.user, "");
  }
  auto store = open_sqlite_store(options.data_dir);
  if (!options.roster.empty()) return import_roster(options, *store, out);
  if (options.revoke) {
    const int revoked = store->revoke_tokens(options.user);
    out << fmt::format("revoked {} token{} of {}\n", revoked, revoked == 1 ? "" : "s",
                       options.user);
    return ExitCode::Ok;
  }
  std::optional<User> user = store->find_user(options.user);
  if (!user) user = User{options.user, "", "", false};
  if (options.instructor) user->instructor = true;
  store->put_user(*user);
  out << issue_token(*store, user->id) << "\n";
  return ExitCode::Ok;
}

ExitCode run_serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
  const auto [host, port] = parse_listen(options.listen);
  const int workers = options.workers > 0
                          ? options.workers
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  const fs::path root = options.exercises_root.empty() ? default_exercises_root(options.executable)
                                                       : options.exercises_root;
  const fs::path rules_file =
      options.rules_file.empty() ? root / "course.json" : options.rules_file;
  if (!options.rules_file.empty() && !fs::exists(options.rules_file)) {
    throw UsageError(fmt::format("--rules {:?}: no such file", options.rules_file.string()));
  }
  auto store = open_sqlite_store(options.data_dir);
  FileStore files(options.data_dir);
  const int requeued = store->requeue_running();
  if (requeued > 0) {
    out << fmt::format(
        "grader serve: {} submission{} cut short by the last stop went back to the "
        "queue\n",
        requeued, requeued == 1 ? "" : "s");
  }
  auto sandbox = make_box_sandbox(launcher_path(options.executable),
                                  options.unsafe_no_sandbox ? Isolation::None : Isolation::Full);
  if (options.unsafe_no_sandbox) {
    err << "grader: warning: --unsafe-no-sandbox: student code runs WITHOUT isolation\n";
  }
  std::unique_ptr<Cache> cache;
  if (!options.no_cache) {
    const fs::path dir = options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
    if (!dir.empty()) cache = std::make_unique<Cache>(dir, &err);
  }
  detail::TempDir work("grader-serve-");
  detail::ExerciseGraders graders(root, std::move(sandbox), std::move(cache), options.python,
                                  work.path());
  graders.prepare_all(workers, out);
  detail::WorkerPool pool(*store, files, graders, workers, work.path(), err);
  detail::ApiContext context{*store,
                             files,
                             graders,
                             pool,
                             load_course_rules(rules_file),
                             options.upload_limits,
                             options.submissions_per_minute};

  httplib::Server server;
  // Handler threads are cheap and a kept-alive browser connection holds one for a few seconds.
  const std::size_t http_threads = static_cast<std::size_t>(std::max(16, 4 * workers));
  server.new_task_queue = [http_threads] { return new httplib::ThreadPool(http_threads); };
  // The transport's cap leaves room for a form's framing; the upload's own limit is checked on
  // the files, with a message that says which rule they break.
  server.set_payload_max_length(4 * options.upload_limits.max_bytes + 64 * 1024);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.set_keep_alive_timeout(2);
  detail::install_routes(server, context);
  // cpp-httplib 0.11 listens with a backlog of 5, so a class submitting at once overflows the
  // accept queue and connections are reset. The listening socket is remembered here, with the
  // library's own options, and its backlog raised once it is bound.
  int listening_socket = -1;
  server.set_socket_options([&listening_socket](socket_t sock) {
    httplib::default_socket_options(sock);
    listening_socket = sock;
  });

  install_signal_handlers();
  int bound = port;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
    if (bound < 0) bound = 0;
  } else if (!server.bind_to_port(host, port)) {
    bound = 0;
  }
  if (bound != 0 && listening_socket >= 0) ::listen(listening_socket, SOMAXCONN);
  if (bound == 0) {
    throw UsageError(
        fmt::format("--listen {}: cannot listen there (address in use, or not one of "
                    "this machine's)",
                    options.listen));
  }
  pool.start();
  std::thread http([&server] { server.listen_after_bind(); });
  const std::string shown_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out << fmt::format("grader serve: listening on http://{}:{}/ ({} worker{}, data in {})\n",
                     shown_host, bound, workers, workers == 1 ? "" : "s", options.data_dir.string())
      << fmt::format(
             "grader serve: give each user a token with: grader token ID [--instructor] "
             "--data {}\n",
             options.data_dir.string())
      << std::flush;
  while (g_stop_signal == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  out << fmt::format("grader serve: stopping (signal {}): finishing the submissions being graded\n",
                     static_cast<int>(g_stop_signal))
      << std::flush;
  server.stop();
  http.join();
  pool.stop();
  out << fmt::format(
             "grader serve: stopped; {} queued submission{} will be graded at the next "
             "start\n",
             store->queued_count(), store->queued_count() == 1 ? "" : "s")
      << std::flush;
  return ExitCode::Ok;
}

}  // namespace grader
