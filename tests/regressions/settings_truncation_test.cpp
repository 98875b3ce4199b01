// CalTRACK and VEE settings truncated 2.5 to 2: a number where a whole number
// is expected was cast to int (TomlReader::Int) and the file accepted. Now
// it is refused with file:line:column and the key's dotted name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/vee_settings.h"
#include "mv_runs/mv_service.h"

namespace cl {
namespace {

namespace fs = std::filesystem;

class SettingsTruncationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cl-regression-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "mv");
  }
  void TearDown() override { fs::remove_all(dir_); }
  static std::string ReadData(const std::string& relative) {
    std::ifstream in(std::string(CL_SOURCE_DATA_DIR) + "/" + relative);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // The shipped file with `from` replaced by `to`; `where` = "line:column"
  // of the replaced value.
  std::string WriteChanged(const std::string& relative, const std::string& from,
                           const std::string& to, std::string& where) {
    std::string text = ReadData(relative);
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    const size_t line = 1 + std::count(text.begin(), text.begin() + at, '\n');
    const size_t line_start =
        text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
    const size_t value = text.find('=', at) + 2;  // "key = value"
    where = std::to_string(line) + ":" + std::to_string(value - line_start + 1);
    const std::string path = (dir_ / relative).string();
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

TEST_F(SettingsTruncationTest, VeeRefusesAFractionalWholeNumber) {
  std::string where;
  const std::string path = WriteChanged("vee.toml", "future_tolerance_seconds = 300",
                                        "future_tolerance_seconds = 2.5", where);
  Result<VeeSettings> vee = LoadVeeSettings(dir_.string());
  ASSERT_FALSE(vee.ok()) << "2.5 seconds was accepted (truncated to 2)";
  EXPECT_EQ(vee.error().ToString(), path + ":" + where +
                                        ": time.future_tolerance_seconds: must be a whole number "
                                        "from 0 to 86400");
}

TEST_F(SettingsTruncationTest, CaltrackRefusesAFractionalWholeNumber) {
  std::string where;
  const std::string path = WriteChanged("mv/caltrack.toml", "balance_point_step_f = 1 ",
                                        "balance_point_step_f = 2.5 ", where);
  Result<MvSettings> mv = LoadMvSettings(dir_.string());
  ASSERT_FALSE(mv.ok()) << "a 2.5 °F step was accepted (truncated to 2)";
  EXPECT_EQ(
      mv.error().ToString(),
      path + ":" + where + ": grid.balance_point_step_f: must be a whole number from 1 to 30");
}

TEST_F(SettingsTruncationTest, EveryFractionalWholeNumberIsNamedAtOnce) {
  std::string text = ReadData("mv/caltrack.toml");
  for (const char* key :
       {"days = 365", "temperature_window_days = 35", "minimum_hours_per_bin = 20"})
    text.replace(text.find(key), std::string(key).size(), std::string(key) + ".5");
  std::ofstream((dir_ / "mv/caltrack.toml").string()) << text;
  Result<MvSettings> mv = LoadMvSettings(dir_.string());
  ASSERT_FALSE(mv.ok());
  const std::string& message = mv.error().message();
  for (const char* key :
       {"baseline.days", "billing.temperature_window_days", "hourly.minimum_hours_per_bin"})
    EXPECT_NE(message.find(std::string(key) + ": must be a whole number"), std::string::npos)
        << message;
}

TEST_F(SettingsTruncationTest, TheShippedFilesStillLoad) {
  Result<VeeSettings> vee = LoadVeeSettings(CL_SOURCE_DATA_DIR);
  ASSERT_TRUE(vee.ok()) << vee.error().ToString();
  EXPECT_EQ(vee->future_tolerance.count(), 300);
  Result<MvSettings> mv = LoadMvSettings(CL_SOURCE_DATA_DIR);
  ASSERT_TRUE(mv.ok()) << mv.error().ToString();
  EXPECT_EQ(mv->caltrack.balance_point_step_f, 1);
  EXPECT_EQ(mv->caltrack.hourly_bin_endpoints_f.size(), 6u);
}

}  // namespace
}  // namespace cl
