// Files written whole or not at all: a reader of the directory never finds half a file.
#include "store/files/export_directory.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_support.h"

namespace depot::files {
namespace {

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ExportDirectory, WritesAFileFromWhatItsProducerHandsTheSink) {
  testing::TempDir dir;
  ExportDirectory files(dir.file("labels"));
  EXPECT_FALSE(files.exists("batch-1-1.pdf"));
  Status written = files.write("batch-1-1.pdf", [](const ExportFiles::Sink& sink) {
    sink("%PDF-");
    sink("1.5");
    return Status{};
  });
  ASSERT_TRUE(written.ok()) << written.error().message;
  EXPECT_TRUE(files.exists("batch-1-1.pdf"));
  EXPECT_EQ(contents(files.path_of("batch-1-1.pdf")), "%PDF-1.5");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.file("labels")),
                          std::filesystem::directory_iterator{}),
            1);
}

TEST(ExportDirectory, LeavesNothingWhenTheProducerFails) {
  testing::TempDir dir;
  ExportDirectory files(dir.file("labels"));
  Status written = files.write("batch-1-2.pdf", [](const ExportFiles::Sink& sink) -> Status {
    sink("%PDF-half");
    return error(ErrorCode::invalid, "label of order D-1 is not a readable PNG or PDF");
  });
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().message, "label of order D-1 is not a readable PNG or PDF");
  EXPECT_FALSE(files.exists("batch-1-2.pdf"));
  EXPECT_TRUE(std::filesystem::is_empty(dir.file("labels")));
}

}  // namespace
}  // namespace depot::files
