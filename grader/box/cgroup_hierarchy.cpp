#include "cgroup_hierarchy.hpp"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "error.hpp"
#include "files.hpp"

namespace grader::box {
namespace {

constexpr const char* kStep = "cgroup";
const std::vector<std::string> kV1Controllers = {"memory", "pids", "cpuacct"};

// Collects the directories named `name` below `dir` whose parent is `parent` (or, when `parent`
// is empty, is named "grader") and that belong to this user, without descending into them.
void find_slot_dirs(const std::string& dir, const std::string& name, const std::string& parent,
                    int depth, std::vector<std::string>& found) {
  if (depth > 32) return;  // cgroup trees are shallow; a loop guard, nothing more
  DIR* listing = opendir(dir.c_str());
  if (listing == nullptr) return;
  const bool parent_matches =
      parent.empty() ? dir.size() >= 7 && dir.rfind("/grader") == dir.size() - 7 : dir == parent;
  while (const dirent* entry = readdir(listing)) {
    if (entry->d_type != DT_DIR || entry->d_name[0] == '.') continue;
    const std::string path = dir + "/" + entry->d_name;
    struct stat st {};
    if (parent_matches && name == entry->d_name) {
      if (stat(path.c_str(), &st) == 0 && st.st_uid == geteuid()) found.push_back(path);
    } else {
      find_slot_dirs(path, name, parent, depth + 1, found);
    }
  }
  closedir(listing);
}

}  // namespace

std::vector<Hierarchy> find_hierarchies() {
  std::vector<Hierarchy> found;
  const auto mountinfo = read_text("/proc/self/mountinfo");
  const auto membership = read_text("/proc/self/cgroup");
  if (!mountinfo || !membership) return found;
  for (const std::string& line : split_text(*mountinfo, '\n')) {
    const auto fields = split_text(line, ' ');
    const auto dash = std::find(fields.begin(), fields.end(), "-");
    if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 4) continue;
    const std::string& type = *(dash + 1);
    if (type != "cgroup" && type != "cgroup2") continue;
    Hierarchy h;
    h.v2 = type == "cgroup2";
    h.mount_root = fields[3];
    h.mount_point = fields[4];
    if (!h.v2) {
      for (const std::string& opt : split_text(*(dash + 3), ',')) {
        if (std::find(kV1Controllers.begin(), kV1Controllers.end(), opt) != kV1Controllers.end()) {
          h.controllers.push_back(opt);
        }
      }
      if (h.controllers.empty()) continue;
    }
    found.push_back(h);
  }
  // Lines of /proc/self/cgroup: "ID:CONTROLLERS:PATH" (v2: "0::PATH").
  for (const std::string& line : split_text(*membership, '\n')) {
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const auto names = split_text(line.substr(first + 1, second - first - 1), ',');
    const std::string path = line.substr(second + 1);
    for (Hierarchy& h : found) {
      const bool match =
          h.v2 ? names.empty()
               : std::find(names.begin(), names.end(), h.controllers.front()) != names.end();
      if (match) h.own_path = path;
    }
  }
  return found;
}

std::string directory_of(const Hierarchy& h, std::string path) {
  if (h.mount_root != "/" && path.rfind(h.mount_root, 0) == 0) {
    path = path.substr(h.mount_root.size());
  }
  if (path == "/") path.clear();
  return h.mount_point + path;
}

SlotRelease release_slot_cgroups(const Options& options, const std::string& state_dir) {
  const std::string name = "slot-" + std::to_string(options.slot);
  const std::string layout = state_dir + "/cgroup-" + name;
  std::vector<std::string> dirs;
  // The remembered layout first, whichever cgroups its writer sat in.
  const auto lines = split_text(read_text(layout).value_or(""), '\n');
  for (std::size_t i = 2; i < lines.size(); ++i) {  // after the key and version lines
    if (const auto space = lines[i].find(' '); space != std::string::npos) {
      dirs.push_back(lines[i].substr(space + 1));
    }
  }
  // Then every other place: the slot's parent follows the supervisor's own cgroups, so graders
  // started from different cgroups left this slot's directories under different parents.
  for (const Hierarchy& h : find_hierarchies()) {
    const std::string parent = options.cgroup_root ? directory_of(h, *options.cgroup_root) : "";
    find_slot_dirs(h.mount_point, name, parent, 0, dirs);
  }
  std::sort(dirs.begin(), dirs.end());
  dirs.erase(std::unique(dirs.begin(), dirs.end()), dirs.end());
  SlotRelease outcome;
  for (const std::string& dir : dirs) {
    if (rmdir(dir.c_str()) == 0) {
      ++outcome.removed;
    } else if (errno != ENOENT) {
      outcome.left.push_back(describe(kStep, "cannot remove " + dir, errno));
    }
  }
  unlink(layout.c_str());
  return outcome;
}

std::string probe_cgroups() {
  std::string v1;
  std::string v2 = "absent";
  bool limits = false;
  for (const Hierarchy& h : find_hierarchies()) {
    const std::string own = directory_of(h, h.own_path);
    const bool writable = access(own.c_str(), W_OK) == 0;
    if (h.v2) {
      const auto available = read_text(own + "/cgroup.controllers").value_or("");
      v2 = std::string(writable ? "writable" : "read-only") + ":" +
           (available.empty() ? "no-controllers" : available.substr(0, available.find('\n')));
      std::replace(v2.begin(), v2.end(), ' ', ',');
      limits = limits || (writable && available.find("memory") != std::string::npos &&
                          available.find("pids") != std::string::npos);
    } else {
      for (const std::string& c : h.controllers) {
        v1 += (v1.empty() ? "" : ",") + c + (writable ? "" : "(read-only)");
        limits = limits || (writable && c == "memory");
      }
    }
  }
  return "cgroup_v1=" + (v1.empty() ? std::string("absent") : v1) + "\ncgroup_v2=" + v2 +
         "\ncgroup_limits=" + (limits ? "1" : "0") + "\n";
}

}  // namespace grader::box
