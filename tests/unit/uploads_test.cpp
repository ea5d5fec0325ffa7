#include "grader/uploads.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>

namespace grader {
namespace {

// One entry of a zip made for a test.
struct ZipEntry {
  ZipEntry(std::string name_, std::string content_, unsigned type_ = AE_IFREG,
           std::string link_ = "", bool hardlink_ = false)
      : name(std::move(name_)),
        content(std::move(content_)),
        type(type_),
        link(std::move(link_)),
        hardlink(hardlink_) {}
  std::string name;
  std::string content;
  unsigned type;
  std::string link;  // symlink target, or hard link source
  bool hardlink;
};

std::string make_zip(const std::vector<ZipEntry>& entries) {
  std::string out(1 << 20, '\0');
  std::size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const ZipEntry& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_filetype(entry, e.type);
    archive_entry_set_perm(entry, 0644);
    if (e.hardlink) {
      archive_entry_set_hardlink(entry, e.link.c_str());
    } else if (!e.link.empty()) {
      archive_entry_set_symlink(entry, e.link.c_str());
    }
    archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    archive_write_header(a, entry);
    if (!e.content.empty()) archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

std::string refusal(const std::function<void()>& f, int* status = nullptr) {
  try {
    f();
  } catch (const UploadRefused& e) {
    if (status) *status = e.status();
    return e.what();
  }
  return "(accepted)";
}

TEST(UploadsTest, AcceptsFormFilesSortedByName) {
  const auto files = check_upload({{"b.cpp", "int b;"}, {"a.hpp", "int a;"}}, {});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "a.hpp");
}

TEST(UploadsTest, RefusesPathsThatLeaveTheSubmission) {
  EXPECT_EQ(refusal([] {
              check_upload({{"../x.py", "x"}}, {});
            }),
            "file name \"../x.py\" goes up a folder with \"..\"");
  EXPECT_EQ(refusal([] {
              check_upload({{"/etc/x.py", "x"}}, {});
            }),
            "file name \"/etc/x.py\" is an absolute path; give names relative to the submission");
  EXPECT_EQ(refusal([] {
              check_upload({{"a\\b.py", "x"}}, {});
            }),
            "file name \"a\\\\b.py\" holds a backslash or a control character");
}

TEST(UploadsTest, RefusesANameThatIsNotUtf8) {
  EXPECT_EQ(refusal([] {
              check_upload({{"a\xff.py", "x"}}, {});
            }),
            "file name \"a\\xff.py\" is not UTF-8 text");
}

TEST(UploadsTest, RefusesBinaryFiles) {
  int status = 0;
  EXPECT_EQ(refusal(
                [] {
                  check_upload({{"a.py", std::string("x\0y", 3)}}, {});
                },
                &status),
            "\"a.py\" is not a text file (UTF-8 without NUL bytes); hand in source files only");
  EXPECT_EQ(status, 415);
  EXPECT_NE(refusal([] { check_upload({{"a.py", "\xff\xfe"}}, {}); }), "(accepted)");
  EXPECT_EQ(refusal([] {
              check_upload({{"a.py", "caf\xc3\xa9 \xe2\x82\xac"}}, {});
            }),
            "(accepted)");
}

TEST(UploadsTest, RefusesTooManyOrTooLargeFiles) {
  UploadLimits limits;
  limits.max_bytes = 10;
  limits.max_files = 2;
  int status = 0;
  EXPECT_EQ(refusal(
                [&] {
                  check_upload({{"a.py", std::string(11, 'x')}}, limits);
                },
                &status),
            "the files are larger than 10 bytes in all");
  EXPECT_EQ(status, 413);
  EXPECT_EQ(refusal([&] {
              check_upload({{"a", "1"}, {"b", "2"}, {"c", "3"}}, limits);
            }),
            "the upload holds 3 files; at most 2 are accepted");
  EXPECT_EQ(refusal([&] { check_upload({}, limits); }), "the upload holds no file");
}

TEST(UploadsTest, ReadsAZipAndDropsItsCommonFolder) {
  const std::string zip =
      make_zip({{"work/", "", AE_IFDIR}, {"work/main.cpp", "int main() {}"}, {"work/a.hpp", "//"}});
  const auto files = read_zip_upload(zip, {});
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].name, "a.hpp");
  EXPECT_EQ(files[1].name, "main.cpp");
  EXPECT_EQ(files[1].content, "int main() {}");
}

TEST(UploadsTest, RefusesLinksInAZip) {
  EXPECT_EQ(refusal([] {
              read_zip_upload(make_zip({{"main.py", "", AE_IFLNK, "/etc/passwd"}}), {});
            }),
            "zip entry \"main.py\" is a symbolic link; only regular files are accepted");
  // The zip format holds no hard links; read_zip_upload still refuses an entry that claims one.
}

TEST(UploadsTest, RefusesAZipBomb) {
  UploadLimits limits;
  limits.max_bytes = 1000;
  int status = 0;
  const std::string zip = make_zip({{"main.py", std::string(100000, ' ')}});
  EXPECT_LT(zip.size(), 1000u);
  EXPECT_EQ(refusal([&] { read_zip_upload(zip, limits); }, &status),
            "the zip archive expands to more than 1000 bytes (at \"main.py\"); a submission is a "
            "few source files");
  EXPECT_EQ(status, 413);
}

TEST(UploadsTest, RefusesDotDotInAZip) {
  EXPECT_EQ(refusal([] {
              read_zip_upload(make_zip({{"../../main.py", "x"}}), {});
            }),
            "file name \"../../main.py\" goes up a folder with \"..\"");
}

TEST(UploadsTest, RefusesWhatIsNotAZip) {
  EXPECT_EQ(refusal([] { read_zip_upload("hello", {}); }),
            "the upload is not a zip archive: Unrecognized archive format");
}

}  // namespace
}  // namespace grader
