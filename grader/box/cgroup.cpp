#include "cgroup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "cgroup_hierarchy.hpp"
#include "error.hpp"
#include "files.hpp"

namespace grader::box {
namespace {

constexpr const char* kStep = "cgroup";
// The parent of the slot cgroups in hierarchy-path form.
std::string slot_parent(const Options& options, const Hierarchy& h) {
  if (options.cgroup_root) return *options.cgroup_root;
  std::string own = h.own_path == "/" ? "" : h.own_path;
  // A supervisor that already sits in a slot (nested use) must not nest deeper.
  if (const auto pos = own.rfind("/grader/slot-"); pos != std::string::npos) own.resize(pos);
  return own + "/grader";
}

std::optional<std::int64_t> read_number(const std::string& path) {
  const auto text = read_text(path);
  if (!text || text->empty()) return std::nullopt;
  if (text->rfind("max", 0) == 0) return INT64_MAX;
  return std::strtoll(text->c_str(), nullptr, 10);
}

void must_write(const std::string& path, const std::string& value) {
  if (const int err = write_text(path, value); err != 0) {
    fail(kStep, "cannot write \"" + value + "\" to " + path, err);
  }
}

// Writes `value` unless the knob already holds it (the slot keeps its limits between runs).
void set_if_changed(const std::string& path, std::int64_t value) {
  const auto current = read_number(path);
  if (current && *current == value) return;
  must_write(path, std::to_string(value));
}

// mkdir on cgroupfs takes the global cgroup mutex even when the directory exists (and the
// slot's directory nearly always does), so look first.
bool make_dir(const std::string& dir) {
  return access(dir.c_str(), F_OK) == 0 || mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST;
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

std::int64_t cgroup_memory_bytes(const Options& options) { return options.memory_mib << 20; }

void Cgroup::discover(const Options& options, std::string& why) {
  const auto hierarchies = find_hierarchies();
  // Hybrid hosts keep the controllers on v1: prefer it when it has memory.
  for (const Hierarchy& h : hierarchies) {
    if (h.v2) continue;
    const std::string root = directory_of(h, slot_parent(options, h));
    const std::string slot = root + "/slot-" + std::to_string(options.slot);
    // The slot may exist already (created by root) without being ours to use.
    if (!make_dir(slot) && (!make_dir(root) || !make_dir(slot))) {
      why +=
          (why.empty() ? "" : "; ") + grader::box::describe(kStep, "cannot create " + slot, errno);
      continue;
    }
    if (access((slot + "/tasks").c_str(), W_OK) != 0) {
      why += (why.empty() ? "" : "; ") + grader::box::describe(kStep, "cannot use " + slot, errno);
      continue;
    }
    for (const std::string& name : h.controllers) controllers_.push_back({name, slot});
  }
  if (has("memory")) {
    version_ = Version::V1;
    return;
  }
  controllers_.clear();
  for (const Hierarchy& h : hierarchies) {
    if (!h.v2) continue;
    const std::string root = directory_of(h, slot_parent(options, h));
    // Made first: a new directory lists what its parent's subtree_control hands down.
    const bool made = make_dir(root);
    const auto available = read_text(root + "/cgroup.controllers");
    const bool delegated = available && available->find("memory") != std::string::npos &&
                           available->find("pids") != std::string::npos;
    if (!made || !delegated) {
      why += (why.empty() ? "" : "; ") +
             grader::box::describe(
                 kStep, "no delegated cgroup2 subtree with memory and pids at " + root, 0);
      break;
    }
    const auto enabled = read_text(root + "/cgroup.subtree_control");
    if (!enabled || enabled->find("memory") == std::string::npos ||
        enabled->find("pids") == std::string::npos) {
      must_write(root + "/cgroup.subtree_control", "+memory +pids");
    }
    const std::string slot = root + "/slot-" + std::to_string(options.slot);
    if (!make_dir(slot) || access((slot + "/cgroup.procs").c_str(), W_OK) != 0) {
      why += (why.empty() ? "" : "; ") + grader::box::describe(kStep, "cannot use " + slot, errno);
      break;
    }
    version_ = Version::V2;
    controllers_.push_back({"memory", slot});
    controllers_.push_back({"pids", slot});
    controllers_.push_back({"cpu", slot});
    break;
  }
}

// The layout file: a key line, a version line, then "NAME DIRECTORY" per controller.
bool Cgroup::load_layout(const std::string& path, const std::string& key) {
  const auto text = read_text(path);
  if (!text) return false;
  const auto lines = split_text(*text, '\n');
  if (lines.size() < 3 || lines[0] != key || (lines[1] != "v1" && lines[1] != "v2")) return false;
  std::vector<Controller> found;
  for (std::size_t i = 2; i < lines.size(); ++i) {
    const auto space = lines[i].find(' ');
    if (space == std::string::npos) return false;
    Controller c{lines[i].substr(0, space), lines[i].substr(space + 1)};
    // Still there and still ours (a reboot or a cleanup may have removed it).
    const std::string probe = c.slot + (lines[1] == "v1" ? "/tasks" : "/cgroup.procs");
    if (access(probe.c_str(), W_OK) != 0) return false;
    found.push_back(c);
  }
  version_ = lines[1] == "v1" ? Version::V1 : Version::V2;
  controllers_ = std::move(found);
  return true;
}

void Cgroup::save_layout() const {
  std::string text = layout_key_ + "\n" + (version_ == Version::V1 ? "v1" : "v2") + "\n";
  for (const Controller& c : controllers_) text += c.name + " " + c.slot + "\n";
  // Written whole, then renamed: a concurrent reader sees the old layout or the new one.
  const std::string temporary = layout_path_ + ".new";
  const int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return;  // only a cache: the next run discovers again
  const bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!ok || rename(temporary.c_str(), layout_path_.c_str()) != 0) unlink(temporary.c_str());
}

std::optional<Cgroup> Cgroup::locate(const Options& options, const std::string& state_dir,
                                     std::string& why) {
  Cgroup cg;
  // Finding the hierarchies means parsing /proc/self/mountinfo (~0.4 ms a run), so the slot's
  // directories are kept in a layout file, valid while this process's cgroups (which decide
  // where the slot directories go) and --cgroup-root stay the same.
  cg.layout_path_ = state_dir + "/cgroup-slot-" + std::to_string(options.slot);
  cg.layout_key_ = "own=" + read_text("/proc/self/cgroup").value_or("?") +
                   "root=" + options.cgroup_root.value_or("");
  std::replace(cg.layout_key_.begin(), cg.layout_key_.end(), '\n', ';');
  if (!cg.load_layout(cg.layout_path_, cg.layout_key_)) {
    cg.controllers_.clear();
    cg.discover(options, why);
    if (!cg.controllers_.empty()) cg.save_layout();
  }
  if (cg.controllers_.empty()) {
    if (why.empty()) why = "cgroup: no cgroup hierarchy with a memory controller";
    return std::nullopt;
  }
  return cg;
}

void Cgroup::prepare_run(const Options& options) {
  if (version_ == Version::V1) {
    apply_limits_v1(options);
  } else {
    apply_limits_v2(options);
  }
  if (const int stale = kill_all(); stale > 0) {
    // A crashed supervisor left processes behind; they are gone now.
  }
  if (version_ == Version::V1) {
    if (const Controller* mem = find("memory")) {
      must_write(mem->slot + "/memory.max_usage_in_bytes", "0");
    }
  }
  baseline_ = read_counters(version_ == Version::V2);  // v1's peak was just reset to 0
}

void Cgroup::apply_limits_v1(const Options& options) {
  if (const Controller* mem = find("memory")) {
    const std::int64_t want = cgroup_memory_bytes(options);
    const std::string limit = mem->slot + "/memory.limit_in_bytes";
    const std::string memsw = mem->slot + "/memory.memsw.limit_in_bytes";
    const auto current = read_number(limit);
    if (!current || *current != want) {
      // memsw.limit >= memory.limit must hold after every single write.
      const bool has_memsw = exists(memsw);
      const bool growing = current && want > *current;
      if (has_memsw && growing) must_write(memsw, std::to_string(want));
      must_write(limit, std::to_string(want));
      if (has_memsw && !growing) must_write(memsw, std::to_string(want));
    }
  }
  if (const Controller* pids = find("pids")) {
    // init (pid 1 of the box) is not one of the program's processes.
    set_if_changed(pids->slot + "/pids.max", options.max_processes + 1);
  }
}

void Cgroup::apply_limits_v2(const Options& options) {
  const std::string& slot = controllers_.front().slot;
  if (leaf_fd_ >= 0) close(leaf_fd_);
  set_if_changed(slot + "/memory.max", cgroup_memory_bytes(options));
  if (exists(slot + "/memory.swap.max")) set_if_changed(slot + "/memory.swap.max", 0);
  set_if_changed(slot + "/pids.max", options.max_processes + 1);
  leaf_fd_ = open(slot.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (leaf_fd_ < 0) fail(kStep, "cannot open " + slot);
  // memory.peak is the peak since the cgroup was made, and the slot's cgroup lives across runs.
  // Since Linux 6.12 a write resets it for reads through the same descriptor; before, a run's
  // peak is known only when it beats every earlier run's (see run_memory_peak_bytes).
  if (peak_fd_ < 0) {
    peak_fd_ = open((slot + "/memory.peak").c_str(), O_RDWR | O_CLOEXEC);
  }
  peak_resets_ = peak_fd_ >= 0 && write(peak_fd_, "reset\n", 6) == 6;
}

Cgroup::Cgroup(Cgroup&& other) noexcept
    : version_(other.version_),
      controllers_(std::move(other.controllers_)),
      leaf_fd_(other.leaf_fd_),
      peak_fd_(other.peak_fd_),
      peak_resets_(other.peak_resets_),
      baseline_(other.baseline_),
      layout_path_(std::move(other.layout_path_)),
      layout_key_(std::move(other.layout_key_)) {
  other.leaf_fd_ = -1;
  other.peak_fd_ = -1;
}

Cgroup::~Cgroup() {
  if (leaf_fd_ >= 0) close(leaf_fd_);
  if (peak_fd_ >= 0) close(peak_fd_);
}

bool Cgroup::has(const std::string& name) const { return find(name) != nullptr; }

const Cgroup::Controller* Cgroup::find(const std::string& name) const {
  for (const Controller& c : controllers_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::string Cgroup::describe() const {
  std::string text = version_ == Version::V1 ? "v1:" : "v2:";
  for (std::size_t i = 0; i < controllers_.size(); ++i) {
    text += (i ? "," : "") + controllers_[i].name;
  }
  return text;
}

std::vector<int> Cgroup::open_tasks_files() const {
  std::vector<int> fds;
  if (version_ != Version::V1) return fds;
  for (const Controller& c : controllers_) {
    const std::string path = c.slot + "/tasks";
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      for (int open_fd : fds) close(open_fd);
      fail(kStep, "cannot open " + path);
    }
    fds.push_back(fd);
  }
  return fds;
}

void attach_self(const std::vector<int>& fds) {
  for (int fd : fds) {
    const bool ok = write(fd, "0", 1) == 1;
    const int err = errno;
    close(fd);
    if (!ok) fail(kStep, "cannot enter the slot's cgroup", err);
  }
}

CgroupCounters Cgroup::read_counters(bool with_peak) const {
  CgroupCounters n;
  if (version_ == Version::V1) {
    if (const Controller* c = find("cpuacct")) {
      n.cpu_ns = read_number(c->slot + "/cpuacct.usage").value_or(0);
    }
    if (const Controller* c = find("memory")) {
      n.oom_kills =
          keyed_value(read_text(c->slot + "/memory.oom_control").value_or(""), "oom_kill");
      if (with_peak) {
        n.memory_peak_bytes = read_number(c->slot + "/memory.max_usage_in_bytes").value_or(0);
      }
    }
    if (const Controller* c = find("pids")) {
      n.pids_max_events = keyed_value(read_text(c->slot + "/pids.events").value_or(""), "max");
    }
  } else {
    const std::string& slot = controllers_.front().slot;
    n.cpu_ns = keyed_value(read_text(slot + "/cpu.stat").value_or(""), "usage_usec") * 1000;
    n.oom_kills = keyed_value(read_text(slot + "/memory.events").value_or(""), "oom_kill");
    n.pids_max_events = keyed_value(read_text(slot + "/pids.events").value_or(""), "max");
    if (peak_resets_) {
      char text[32] = {};
      const ssize_t got = pread(peak_fd_, text, sizeof text - 1, 0);
      n.memory_peak_bytes = got > 0 ? std::strtoll(text, nullptr, 10) : 0;
    } else {
      n.memory_peak_bytes = read_number(slot + "/memory.peak").value_or(0);
    }
  }
  return n;
}

std::int64_t Cgroup::run_memory_peak_bytes(const CgroupCounters& after) const {
  if (version_ == Version::V1 || peak_resets_) return after.memory_peak_bytes;
  return after.memory_peak_bytes > baseline_.memory_peak_bytes ? after.memory_peak_bytes : 0;
}

std::int64_t Cgroup::cpu_ns() const {
  if (version_ == Version::V1) {
    const Controller* c = find("cpuacct");
    return c ? read_number(c->slot + "/cpuacct.usage").value_or(0) : 0;
  }
  return keyed_value(read_text(controllers_.front().slot + "/cpu.stat").value_or(""),
                     "usage_usec") *
         1000;
}

std::vector<int> Cgroup::procs() const {
  // Every process of the box sits in all of the slot's hierarchies (init enters them all and
  // its descendants inherit), so one listing is enough.
  std::vector<int> pids;
  const std::string listing = read_text(controllers_.front().slot + "/cgroup.procs").value_or("");
  for (const std::string& line : split_text(listing, '\n')) {
    const int pid = std::atoi(line.c_str());
    if (pid > 0 && pid != getpid()) pids.push_back(pid);
  }
  return pids;
}

int Cgroup::kill_all() const {
  auto left = procs();
  const int found = static_cast<int>(left.size());
  if (found == 0) return 0;
  if (version_ == Version::V2 && exists(controllers_.front().slot + "/cgroup.kill")) {
    write_text(controllers_.front().slot + "/cgroup.kill", "1");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!left.empty()) {
    for (int pid : left) kill(pid, SIGKILL);
    if (std::chrono::steady_clock::now() > deadline) {
      fail(kStep,
           std::to_string(left.size()) + " process(es) of slot " + controllers_.front().slot +
               " survive SIGKILL",
           0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    left = procs();
  }
  return found;
}

}  // namespace grader::box
