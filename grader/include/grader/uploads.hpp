#pragma once
/// \file
/// Checking what a client uploads as a submission, before anything is stored: the files of a
/// browser form, or one .zip read with libarchive. Uploads are hostile (DESIGN.md section 8):
/// every refusal says why, and nothing of a refused upload is kept.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace grader {

/// Limits of one submission's upload.
struct UploadLimits {
  std::size_t max_bytes = 1024 * 1024;  ///< all files together, uncompressed
  std::size_t max_files = 20;
};

/// One uploaded file: a relative '/'-separated name and its bytes.
struct UploadedFile {
  std::string name;
  std::string content;
};

/// An upload that is refused; `status` is the HTTP status to answer (400, 413 or 415) and
/// `what()` says why, in words for the student.
class UploadRefused : public std::runtime_error {
 public:
  UploadRefused(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

/// Checks the files of an upload and returns them sorted by name: at least one file, at most
/// `max_files`, `max_bytes` in all, names relative without `.` or `..` parts (a single leading
/// folder common to every file is dropped), no duplicates, text only (UTF-8 without NUL bytes).
/// \throws UploadRefused naming the file and the rule.
std::vector<UploadedFile> check_upload(std::vector<UploadedFile> files, const UploadLimits& limits);

/// Reads the regular files of a zip archive held in `bytes` (libarchive), then check_upload.
/// Refuses symbolic and hard links and other special entries, absolute names and `..`, and
/// stops reading as soon as the expanded size passes `max_bytes` (zip bombs).
/// \throws UploadRefused.
std::vector<UploadedFile> read_zip_upload(const std::string& bytes, const UploadLimits& limits);

}  // namespace grader
