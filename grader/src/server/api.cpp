// The HTTP API (docs/server.md): bearer tokens, JSON in and out, uploads checked before
// anything is stored. Every handler runs inside `guarded`, so that nothing a client sends
// can take the server down or show as anything but a 4xx with a reason.

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <sstream>

#include "../files.hpp"
#include "grader/error.hpp"
#include "grader/formats.hpp"
#include "grader/report_formats.hpp"
#include "grader/similarity.hpp"
#include "grader/similarity_formats.hpp"
#include "grader/tokens.hpp"
#include "service.hpp"

namespace grader::detail {
namespace {

// A refusal with its HTTP status, thrown inside handlers and answered by `guarded`.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  // Invalid UTF-8 from a request (a path, a parameter) is replaced, never a reason to throw.
  res.set_content(body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n",
                  "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status, Json{{"error", message}});
}

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

Handler guarded(std::ostream& log, std::mutex& log_mutex, Handler handler) {
  return [&log, &log_mutex, handler](const httplib::Request& req, httplib::Response& res) {
    try {
      handler(req, res);
    } catch (const HttpError& e) {
      send_error(res, e.status(), e.what());
    } catch (const UploadRefused& e) {
      send_error(res, e.status(), e.what());
    } catch (const std::exception& e) {
      {
        std::lock_guard<std::mutex> lock(log_mutex);
        log << fmt::format("grader serve: error: {} {}: {}\n", req.method, req.path, e.what());
      }
      send_error(res, 500, "the server failed to answer; the error is in its log");
    }
  };
}

// Submissions per minute per user, in memory (a restart forgets, which only ever allows more).
class RateLimiter {
 public:
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
  // Whether `user` may submit now; counts the submission when it may.
  bool allow(const std::string& user, std::int64_t now) {
    if (per_minute_ <= 0) return true;
    std::lock_guard<std::mutex> lock(mutex_);
    std::deque<std::int64_t>& times = times_[user];
    while (!times.empty() && times.front() <= now - 60) times.pop_front();
    if (static_cast<int>(times.size()) >= per_minute_) return false;
    times.push_back(now);
    return true;
  }

 private:
  int per_minute_;
  std::mutex mutex_;
  std::map<std::string, std::deque<std::int64_t>> times_;
};

class Api {
 public:
  explicit Api(ApiContext& c) : c_(c), limiter_(c.submissions_per_minute) {}

  // The user of the request's bearer token. \throws HttpError 401.
  User authenticate(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (header.empty()) {
      throw HttpError(401,
                      "no token: send the header \"Authorization: Bearer TOKEN\" (a token "
                      "comes from your instructor, made with grader token)");
    }
    if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) {
      throw HttpError(401, "the Authorization header is not \"Bearer TOKEN\"");
    }
    const std::string token = header.substr(kBearer.size());
    const std::optional<std::string> selector = token_selector(token);
    std::optional<std::pair<std::string, User>> found;
    if (selector) found = c_.store.find_token(*selector);
    // The hash is computed whether or not the selector was found, and compared in constant time.
    const std::string hash = token_hash(token);
    if (!found || !constant_time_equal(found->first, hash)) {
      throw HttpError(401, "unknown or revoked token");
    }
    return found->second;
  }

  static void require_instructor(const User& user) {
    if (!user.instructor) throw HttpError(403, "only an instructor may do this");
  }

  Grader& exercise(const httplib::Request& req) {
    if (!req.has_param("exercise")) throw HttpError(400, "missing ?exercise=ID");
    const std::string id = req.get_param_value("exercise");
    Grader* grader = c_.graders.find(id);
    if (grader == nullptr) {
      const std::vector<std::string> ids = c_.graders.ids();
      throw HttpError(404, fmt::format("no exercise {:?} in this course (exercises: {})",
                                       id.substr(0, 100), fmt::join(ids, ", ")));
    }
    return *grader;
  }

  ExerciseRules rules_of(const std::string& exercise) const {
    auto it = c_.rules.find(exercise);
    return it == c_.rules.end() ? ExerciseRules{} : it->second;
  }

  // The upload's files: a browser form's (multipart/form-data), or one zip (as the body, or as
  // the form's only file).
  std::vector<UploadedFile> read_upload(const httplib::Request& req) {
    if (req.is_multipart_form_data()) {
      std::vector<UploadedFile> files;
      for (const auto& [field, part] : req.files) {
        if (part.filename.empty()) continue;  // a plain form field
        files.push_back({part.filename, part.content});
      }
      const auto is_zip = [](const std::string& name) {
        return name.size() > 4 && name.compare(name.size() - 4, 4, ".zip") == 0;
      };
      if (files.size() == 1 && is_zip(files[0].name)) {
        return read_zip_upload(files[0].content, c_.limits);
      }
      return check_upload(std::move(files), c_.limits);
    }
    const std::string type = req.get_header_value("Content-Type");
    if (type == "application/zip" || type == "application/x-zip-compressed") {
      return read_zip_upload(req.body, c_.limits);
    }
    throw HttpError(415, "send the files as multipart/form-data, or one .zip as application/zip");
  }

  void post_submission(const httplib::Request& req, httplib::Response& res) {
    const User user = authenticate(req);
    Grader& grader = exercise(req);
    const std::string id = grader.spec().id;
    const std::int64_t now = now_seconds();
    const ExerciseRules rules = rules_of(id);
    const std::optional<std::int64_t> extension = c_.store.find_extension(user.id, id);
    if (past_cutoff(rules, extension, now)) {
      throw HttpError(
          403, fmt::format("submissions for {} closed at {}", id, format_time(*rules.cutoff)));
    }
    std::vector<UploadedFile> files = read_upload(req);
    if (!limiter_.allow(user.id, now)) {
      throw HttpError(429, fmt::format("more than {} submissions in a minute; wait a little",
                                       c_.submissions_per_minute));
    }
    std::vector<StoredFile> stored;
    for (const UploadedFile& f : files) stored.push_back({f.name, c_.files.put(f.content)});
    const StoredSubmission s = c_.store.add_submission(user.id, id, now, stored);
    c_.pool.wake();
    res.set_header("Location", "/api/v1/submissions/" + s.id);
    send_json(res, 202, Json{{"id", s.id}, {"state", "queued"}});
  }

  void get_submission(const httplib::Request& req, httplib::Response& res) {
    const User user = authenticate(req);
    const std::string id = req.matches[1];
    const std::optional<StoredSubmission> s = c_.store.find_submission(id);
    if (!s) throw HttpError(404, fmt::format("no submission {:?}", id));
    if (!user.instructor && s->user != user.id) {
      throw HttpError(403, "this submission is not yours");
    }
    const std::vector<StoredSubmission> mine = c_.store.list_submissions(s->exercise, s->user);
    send_json(res, 200, view(*s, user, mine));
  }

  void list_submissions(const httplib::Request& req, httplib::Response& res) {
    const User user = authenticate(req);
    Grader& grader = exercise(req);
    const std::string id = grader.spec().id;
    const std::vector<StoredSubmission> all =
        c_.store.list_submissions(id, user.instructor ? "" : user.id);
    Json list = Json::array();
    for (const StoredSubmission& s : all) {
      std::vector<StoredSubmission> same_user;
      for (const StoredSubmission& other : all) {
        if (other.user == s.user) same_user.push_back(other);
      }
      list.push_back(view(s, user, same_user));
    }
    send_json(res, 200, Json{{"exercise", id}, {"submissions", list}});
  }

  // The exercise of an instructor's class-wide request (`/.../ID`) and its `format` (json when
  // not given): 401 without a valid token, 403 for a student, 404 for an unknown exercise.
  std::pair<Grader*, std::string> instructor_request(const httplib::Request& req) {
    require_instructor(authenticate(req));
    const std::string id = req.matches[1];
    Grader* grader = c_.graders.find(id);
    if (grader == nullptr) throw HttpError(404, fmt::format("no exercise {:?}", id.substr(0, 100)));
    return {grader, req.has_param("format") ? req.get_param_value("format") : "json"};
  }

  void get_report(const httplib::Request& req, httplib::Response& res) {
    const auto [grader, format] = instructor_request(req);
    const std::string id = grader->spec().id;
    const std::vector<std::string> known = known_formats();
    if (std::find(known.begin(), known.end(), format) == known.end()) {
      throw HttpError(400, fmt::format("unknown format {:?} (known: {})", format.substr(0, 40),
                                       fmt::join(known, ", ")));
    }
    const std::map<std::string, StoredSubmission> latest = class_submissions(id);
    Json report = report_header_object(grader->report_header());
    report["submissions"] = Json::array();
    for (const auto& [student, s] : latest) {
      Json object = Json::parse(s.result_json);
      object["id"] = student;
      object["path"] = s.id;
      apply_lateness(object, s);
      // Said in words too, so that every format that shows a message shows the penalty.
      if (object.contains("score_before_penalty") && object.value("message", "").empty()) {
        object["message"] = fmt::format(
            "late by {} day{}: {}% of the maximum taken off (score before the penalty: {})",
            object["late"]["days_late"].get<int>(),
            object["late"]["days_late"].get<int>() == 1 ? "" : "s",
            format_number(100 * object["late"]["penalty"].get<double>()),
            format_number(object["score_before_penalty"].get<double>()));
      }
      report["submissions"].push_back(object);
    }
    if (format == "json") {
      send_json(res, 200, report);
      return;
    }
    const Report parsed = parse_json_report(report.dump(), "the class report");
    if (format == "gradescope") {
      // One results.json per student, keyed by the student's id.
      Json all = Json::object();
      for (const SubmissionResult& s : parsed.submissions) {
        std::ostringstream out;
        auto reporter = make_gradescope_reporter(out);
        reporter->begin(parsed);
        reporter->add(s);
        reporter->finish();
        all[s.id] = Json::parse(out.str());
      }
      send_json(res, 200, all);
      return;
    }
    std::ostringstream out;
    std::unique_ptr<Reporter> reporter;
    std::string type = "text/plain; charset=utf-8";
    if (format == "csv") {
      reporter = make_csv_reporter(out);
      type = "text/csv; charset=utf-8";
    } else if (format == "junit") {
      reporter = make_junit_reporter(out);
      type = "application/xml";
    } else if (format == "markdown") {
      reporter = make_markdown_reporter(out);
      type = "text/markdown; charset=utf-8";
    } else {
      reporter = make_html_reporter(out);
      type = "text/html; charset=utf-8";
    }
    write_report(*reporter, parsed);
    res.status = 200;
    res.set_content(out.str(), type.c_str());
  }

  // Each student's chosen submission of exercise `id` when it is graded, else the latest graded
  // one: what the class report and the similarity check are made of.
  std::map<std::string, StoredSubmission> class_submissions(const std::string& id) {
    const std::map<std::string, std::string> chosen = c_.store.choices(id);
    std::map<std::string, StoredSubmission> latest;
    std::map<std::string, StoredSubmission> picked;
    for (StoredSubmission& s : c_.store.list_submissions(id, "")) {
      if (s.state != JobState::Done) continue;
      auto choice = chosen.find(s.user);
      if (choice != chosen.end() && choice->second == s.id) picked[s.user] = s;
      latest[s.user] = std::move(s);
    }
    for (auto& [student, s] : picked) latest[student] = std::move(s);
    return latest;
  }

  // GET /api/v1/similarity/ID?format=json|csv|html: the similarity check of grader
  // similarity over the class's submissions (as the class report picks them), instructors only.
  void get_similarity(const httplib::Request& req, httplib::Response& res) {
    const auto [grader, format] = instructor_request(req);
    const std::string id = grader->spec().id;
    if (format != "json" && format != "csv" && format != "html") {
      throw HttpError(
          400, fmt::format("unknown format {:?} (known: json, csv, html)", format.substr(0, 40)));
    }
    // Each submission's stored files, under the student's id, as a batch folder would hold them.
    TempDir work("grader-similarity-");
    std::vector<std::filesystem::path> paths;
    for (const auto& [student, s] : class_submissions(id)) {
      if (student.empty() || student.front() == '.' || student.find('/') != std::string::npos) {
        continue;  // not a folder name (ids are checked when made; this is a second fence)
      }
      const std::filesystem::path dir = work.path() / student;
      // The listing carries no file names; the submission itself does.
      const std::optional<StoredSubmission> full = c_.store.find_submission(s.id);
      if (!full) continue;
      for (const StoredFile& f : full->files) write_text(dir / f.name, c_.files.get(f.hash));
      paths.push_back(dir);
    }
    const SimilarityResult result = check_similarity(paths, &grader->spec(), SimilarityOptions{});
    std::ostringstream out;
    if (format == "json") {
      send_json(res, 200, similarity_json(result));
      return;
    }
    if (format == "csv") {
      write_similarity_csv(result, out);
      res.set_content(out.str(), "text/csv; charset=utf-8");
    } else {
      write_similarity_page(result, id, out);
      res.set_content(out.str(), "text/html; charset=utf-8");
    }
    res.status = 200;
  }

  void post_choice(const httplib::Request& req, httplib::Response& res) {
    const User user = authenticate(req);
    const std::string id = req.matches[1];
    const std::optional<StoredSubmission> s = c_.store.find_submission(id);
    if (!s) throw HttpError(404, fmt::format("no submission {:?}", id));
    if (s->user != user.id) throw HttpError(403, "only its author may choose a submission");
    if (s->state != JobState::Done) {
      throw HttpError(409, "this submission is not graded yet; choose it once it is done");
    }
    c_.store.choose(user.id, s->exercise, s->id);
    send_json(res, 200, Json{{"id", s->id}, {"exercise", s->exercise}, {"chosen", true}});
  }

  void post_extension(const httplib::Request& req, httplib::Response& res) {
    const User user = authenticate(req);
    require_instructor(user);
    Grader& grader = exercise(req);
    const std::string student = req.has_param("user") ? req.get_param_value("user") : "";
    if (!c_.store.find_user(student)) {
      throw HttpError(404, fmt::format("no user {:?}", student.substr(0, 100)));
    }
    const std::string due_text = req.has_param("due") ? req.get_param_value("due") : "";
    const std::optional<std::int64_t> due = parse_time(due_text);
    if (!due) {
      throw HttpError(400, fmt::format("due={:?} is not a time like 2026-12-01T23:59:00+01:00",
                                       due_text.substr(0, 60)));
    }
    c_.store.set_extension(student, grader.spec().id, *due);
    send_json(res, 200,
              Json{{"user", student}, {"exercise", grader.spec().id}, {"due", format_time(*due)}});
  }

  void get_exercises(const httplib::Request& req, httplib::Response& res) {
    authenticate(req);
    Json list = Json::array();
    for (const std::string& id : c_.graders.ids()) {
      const ExerciseSpec& spec = c_.graders.find(id)->spec();
      Json tasks = Json::array();
      for (const TaskSpec& task : spec.tasks) {
        tasks.push_back(
            Json{{"id", task.id}, {"signature", task.signature}, {"points", task.points}});
      }
      Json entry = {{"id", id}, {"title", spec.title}, {"tasks", tasks}};
      const ExerciseRules rules = rules_of(id);
      if (rules.due) entry["due"] = format_time(*rules.due);
      if (rules.cutoff) entry["cutoff"] = format_time(*rules.cutoff);
      if (rules.penalty_per_day > 0) entry["penalty_per_day"] = rules.penalty_per_day;
      if (rules.hidden_feedback_per_day > 0) {
        entry["hidden_feedback_per_day"] = rules.hidden_feedback_per_day;
      }
      list.push_back(entry);
    }
    send_json(res, 200, Json{{"exercises", list}});
  }

  void get_me(const httplib::Request& req, httplib::Response& res) {
    const User user = authenticate(req);
    send_json(res, 200,
              Json{{"id", user.id}, {"name", user.name}, {"instructor", user.instructor}});
  }

  void get_health(const httplib::Request&, httplib::Response& res) {
    send_json(res, 200,
              Json{{"status", "ok"},
                   {"queued", c_.store.queued_count()},
                   {"workers", c_.pool.size()},
                   {"busy", c_.pool.busy()}});
  }

 private:
  // Adds `late` and takes the penalty off the score (a fraction of the maximum per day late).
  void apply_lateness(Json& object, const StoredSubmission& s) {
    const ExerciseRules rules = rules_of(s.exercise);
    const std::optional<Lateness> late =
        lateness(rules, c_.store.find_extension(s.user, s.exercise), s.submitted_at);
    if (!late) return;
    object["late"] = Json{{"due", format_time(late->due)},
                          {"days_late", late->days_late},
                          {"penalty", late->penalty}};
    if (late->penalty > 0 && object.contains("score") && object["score"].is_number() &&
        object.contains("max_score") && object["max_score"].is_number()) {
      const double score = object["score"].get<double>();
      const double max_score = object["max_score"].get<double>();
      object["score_before_penalty"] = score;
      object["score"] = std::max(0.0, score - late->penalty * max_score);
    }
  }

  // The hidden-case results of a student's submission beyond the day's allowance stay hidden
  // until the next UTC day: hidden cases, scores and diagnoses are taken out.
  void apply_feedback_limit(Json& object, const StoredSubmission& s,
                            const std::vector<StoredSubmission>& same_user) {
    const ExerciseRules rules = rules_of(s.exercise);
    if (rules.hidden_feedback_per_day <= 0) return;
    const std::int64_t day_end = next_utc_day(s.submitted_at);
    if (now_seconds() >= day_end) return;
    // Only graded submissions use the allowance: a compile error shows no hidden result anyway.
    const auto graded = [](const StoredSubmission& x) {
      if (x.state != JobState::Done || x.result_json.empty()) return false;
      const Json result = Json::parse(x.result_json, nullptr, false);
      return result.is_object() && result.value("status", "") == "graded";
    };
    if (!graded(s)) return;
    int rank = 0;
    for (const StoredSubmission& other : same_user) {
      if (next_utc_day(other.submitted_at) == day_end && graded(other)) ++rank;
      if (other.id == s.id) break;
    }
    if (rank <= rules.hidden_feedback_per_day) return;
    if (object.contains("tasks") && object["tasks"].is_array()) {
      for (Json& task : object["tasks"]) {
        Json visible = Json::array();
        for (Json& c : task["cases"]) {
          if (c.value("visibility", "") != "hidden") visible.push_back(c);
        }
        task["cases"] = visible;
        task["score"] = nullptr;
        task.erase("diagnosis");
      }
    }
    object["score"] = nullptr;
    object.erase("score_before_penalty");
    object["hidden_feedback"] = Json{
        {"withheld_until", format_time(day_end)},
        {"reason", fmt::format("over the limit of {} submissions a day with hidden-case results; "
                               "visible cases are shown now, the rest at {}",
                               rules.hidden_feedback_per_day, format_time(day_end))}};
  }

  Json view(const StoredSubmission& s, const User& viewer,
            const std::vector<StoredSubmission>& same_user) {
    Json object = Json::object();
    if (s.state == JobState::Done && !s.result_json.empty()) {
      object = Json::parse(s.result_json);
    } else {
      object["id"] = s.id;
    }
    object["state"] = to_string(s.state);
    object["exercise"] = s.exercise;
    object["user"] = s.user;
    object["submitted_at"] = format_time(s.submitted_at);
    if (!s.files.empty()) {
      Json names = Json::array();
      for (const StoredFile& f : s.files) names.push_back(f.name);
      object["files"] = names;
    }
    const std::map<std::string, std::string> chosen = c_.store.choices(s.exercise);
    auto choice = chosen.find(s.user);
    object["chosen"] = choice != chosen.end() && choice->second == s.id;
    apply_lateness(object, s);
    if (s.state == JobState::Done && !viewer.instructor) {
      apply_feedback_limit(object, s, same_user);
    }
    return object;
  }

  ApiContext& c_;
  RateLimiter limiter_;
};

}  // namespace

void install_routes(httplib::Server& server, ApiContext& context) {
  static std::mutex log_mutex;
  auto api = std::make_shared<Api>(context);
  std::ostream& log = std::cerr;
  const auto bind = [&](void (Api::*method)(const httplib::Request&, httplib::Response&)) {
    return guarded(log, log_mutex,
                   [api, method](const httplib::Request& req, httplib::Response& res) {
                     ((*api).*method)(req, res);
                   });
  };
  server.Post("/api/v1/submissions", bind(&Api::post_submission));
  server.Get("/api/v1/submissions", bind(&Api::list_submissions));
  server.Get(R"(/api/v1/submissions/([A-Za-z0-9_-]{1,64}))", bind(&Api::get_submission));
  server.Get(R"(/api/v1/reports/([A-Za-z0-9_.-]{1,100}))", bind(&Api::get_report));
  server.Get(R"(/api/v1/similarity/([A-Za-z0-9_.-]{1,100}))", bind(&Api::get_similarity));
  server.Post(R"(/api/v1/submissions/([A-Za-z0-9_-]{1,64})/choose)", bind(&Api::post_choice));
  server.Post("/api/v1/extensions", bind(&Api::post_extension));
  server.Get("/api/v1/exercises", bind(&Api::get_exercises));
  server.Get("/api/v1/me", bind(&Api::get_me));
  server.Get("/healthz", bind(&Api::get_health));
  server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                   "connect-src 'self'; img-src data:; frame-src 'self' blob: data:");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_content(std::string(page_html()), "text/html; charset=utf-8");
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    try {
      std::string message;
      if (res.status == 404) {
        message = fmt::format("no such endpoint: {} {}", req.method, req.path.substr(0, 200));
      } else if (res.status == 400) {
        message = "the request could not be read (a malformed request line, header, query or form)";
      } else if (res.status == 413) {
        message = "the request is too large for a submission";
      } else {
        message = fmt::format("the request was refused (HTTP {})", res.status);
      }
      send_error(res, res.status, message);
    } catch (const std::exception&) {
      res.set_content("{\"error\": \"the request was refused\"}\n", "application/json");
    }
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_error(res, 500, "the server failed to answer; the error is in its log");
      });
}

}  // namespace grader::detail
