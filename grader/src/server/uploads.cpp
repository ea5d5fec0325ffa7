#include "grader/uploads.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <set>

namespace grader {
namespace {

constexpr std::size_t kMaxNameBytes = 200;

// Whether `text` is valid UTF-8 with no NUL byte (overlong forms and surrogates refused).
bool is_text(const std::string& text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c == 0) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t extra = 0;
    unsigned int code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      code = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      code = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      code = c & 0x07u;
    } else {
      return false;
    }
    if (i + extra >= n) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      if ((p[i + k] & 0xC0u) != 0x80u) return false;
      code = (code << 6) | (p[i + k] & 0x3Fu);
    }
    if ((extra == 2 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
        (extra == 3 && (code < 0x10000 || code > 0x10FFFF))) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// Checks one name; returns it with '\' kept as is (it is refused) and no trailing slash.
void check_name(const std::string& name) {
  if (name.empty()) throw UploadRefused(400, "a file has no name");
  const std::string shown = fmt::format("{:?}", name.substr(0, kMaxNameBytes));
  if (name.size() > kMaxNameBytes) {
    throw UploadRefused(
        400, fmt::format("file name {} is too long (at most {} bytes)", shown, kMaxNameBytes));
  }
  if (name.front() == '/' || name.find(':') != std::string::npos) {
    throw UploadRefused(400, fmt::format("file name {} is an absolute path; give names relative "
                                         "to the submission",
                                         shown));
  }
  if (!is_text(name)) {
    throw UploadRefused(400, fmt::format("file name {} is not UTF-8 text", shown));
  }
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '\\' || c == 0x7F) {
      throw UploadRefused(400, fmt::format("file name {} holds a backslash or a control "
                                           "character",
                                           shown));
    }
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string part = name.substr(start, end - start);
    if (part == "..") {
      throw UploadRefused(400, fmt::format("file name {} goes up a folder with \"..\"", shown));
    }
    if (part.empty() || part == ".") {
      throw UploadRefused(400, fmt::format("file name {} has an empty or \".\" part", shown));
    }
    start = end + 1;
  }
}

// The common first folder of every name ("work/" in work/a.cpp, work/b.hpp), or empty.
std::string common_folder(const std::vector<UploadedFile>& files) {
  std::string folder;
  for (const UploadedFile& f : files) {
    const std::size_t slash = f.name.find('/');
    if (slash == std::string::npos) return "";
    const std::string first = f.name.substr(0, slash + 1);
    if (folder.empty()) folder = first;
    if (first != folder) return "";
  }
  return folder;
}

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

}  // namespace

std::vector<UploadedFile> check_upload(std::vector<UploadedFile> files,
                                       const UploadLimits& limits) {
  if (files.empty()) throw UploadRefused(400, "the upload holds no file");
  if (files.size() > limits.max_files) {
    throw UploadRefused(413, fmt::format("the upload holds {} files; at most {} are accepted",
                                         files.size(), limits.max_files));
  }
  std::size_t total = 0;
  for (const UploadedFile& f : files) {
    check_name(f.name);
    total += f.content.size();
    if (total > limits.max_bytes) {
      throw UploadRefused(
          413, fmt::format("the files are larger than {} bytes in all", limits.max_bytes));
    }
    if (!is_text(f.content)) {
      throw UploadRefused(415, fmt::format("{:?} is not a text file (UTF-8 without NUL bytes); "
                                           "hand in source files only",
                                           f.name));
    }
  }
  const std::string folder = common_folder(files);
  for (UploadedFile& f : files) f.name.erase(0, folder.size());
  std::sort(files.begin(), files.end(),
            [](const UploadedFile& a, const UploadedFile& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].name == files[i - 1].name) {
      throw UploadRefused(400, fmt::format("{:?} appears twice in the upload", files[i].name));
    }
  }
  return files;
}

std::vector<UploadedFile> read_zip_upload(const std::string& bytes, const UploadLimits& limits) {
  std::unique_ptr<archive, ArchiveCloser> zip(archive_read_new());
  if (!zip) throw std::bad_alloc();
  archive_read_support_format_zip(zip.get());
  if (archive_read_open_memory(zip.get(), bytes.data(), bytes.size()) != ARCHIVE_OK) {
    throw UploadRefused(
        400, fmt::format(
                 "the upload is not a zip archive: {}",
                 archive_error_string(zip.get()) ? archive_error_string(zip.get()) : "unreadable"));
  }
  std::vector<UploadedFile> files;
  std::size_t total = 0;
  archive_entry* entry = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(zip.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      throw UploadRefused(
          400, fmt::format("the zip archive is damaged: {}", archive_error_string(zip.get())
                                                                 ? archive_error_string(zip.get())
                                                                 : "unreadable entry"));
    }
    const char* raw_name = archive_entry_pathname(entry);
    std::string name = raw_name ? raw_name : "";
    const std::string shown = fmt::format("{:?}", name.substr(0, kMaxNameBytes));
    if (archive_entry_hardlink(entry) != nullptr) {
      throw UploadRefused(400, fmt::format("zip entry {} is a hard link; only regular files are "
                                           "accepted",
                                           shown));
    }
    const auto type = archive_entry_filetype(entry);
    if (type == AE_IFLNK || archive_entry_symlink(entry) != nullptr) {
      throw UploadRefused(400, fmt::format("zip entry {} is a symbolic link; only regular files "
                                           "are accepted",
                                           shown));
    }
    if (type == AE_IFDIR) {
      check_name(name.substr(0, name.find_last_not_of('/') + 1));
      continue;
    }
    if (type != AE_IFREG) {
      throw UploadRefused(400, fmt::format("zip entry {} is not a regular file", shown));
    }
    check_name(name);
    if (files.size() >= limits.max_files) {
      throw UploadRefused(
          413, fmt::format("the zip archive holds more than {} files", limits.max_files));
    }
    UploadedFile file{name, {}};
    char buffer[16384];
    for (;;) {
      const la_ssize_t n = archive_read_data(zip.get(), buffer, sizeof buffer);
      if (n == 0) break;
      if (n < 0) {
        throw UploadRefused(
            400, fmt::format("zip entry {} cannot be read: {}", shown,
                             archive_error_string(zip.get()) ? archive_error_string(zip.get())
                                                             : "damaged"));
      }
      total += static_cast<std::size_t>(n);
      // A running total, so that a small archive that expands hugely is refused early.
      if (total > limits.max_bytes) {
        throw UploadRefused(413, fmt::format("the zip archive expands to more than {} bytes (at "
                                             "{}); a submission is a few source files",
                                             limits.max_bytes, shown));
      }
      file.content.append(buffer, static_cast<std::size_t>(n));
    }
    files.push_back(std::move(file));
  }
  return check_upload(std::move(files), limits);
}

}  // namespace grader
