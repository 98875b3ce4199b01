// Runs every hand-computed case in tests/golden/cases (format: tests/golden/README.md)
// through the same path as `carbonledger inventory --format json`.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/encoding.h"
#include "inventory/compute.h"
#include "reports/render.h"

namespace cl {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string name;
  int year = 0;
  std::string methodology;
  std::optional<double> equal_value;
  std::map<std::string, std::string> files;  // name -> UTF-8 content
  std::map<std::string, bool> gbk;
  std::vector<std::string> expect;
  std::vector<std::string> expect_errors;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

GoldenCase ParseCase(const fs::path& path) {
  GoldenCase c;
  c.name = path.stem().string();
  std::ifstream in(path);
  std::string line;
  std::string section;
  while (std::getline(in, line)) {
    if (line.rfind("--- ", 0) == 0) {
      section = Trim(line.substr(4));
      if (section.size() > 6 && section.substr(section.size() - 5) == "(gbk)") {
        section = Trim(section.substr(0, section.size() - 5));
        c.gbk[section] = true;
      }
      continue;
    }
    if (section.empty()) {
      if (line.rfind("year:", 0) == 0) c.year = std::stoi(line.substr(5));
      if (line.rfind("methodology:", 0) == 0) c.methodology = Trim(line.substr(12));
      if (line.rfind("options:", 0) == 0) {
        std::istringstream opts(line.substr(8));
        std::string flag;
        double value = 0;
        opts >> flag >> value;
        EXPECT_EQ(flag, "--electricity-equal-value") << path;
        c.equal_value = value;
      }
    } else if (section == "expect") {
      if (!Trim(line).empty()) c.expect.push_back(Trim(line));
    } else if (section == "expect-error") {
      if (!Trim(line).empty()) c.expect_errors.push_back(Trim(line));
    } else {
      c.files[section] += line + "\n";
    }
  }
  return c;
}

std::vector<GoldenCase> AllCases() {
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(CL_GOLDEN_DIR)) {
    if (e.path().extension() == ".case") paths.push_back(e.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<GoldenCase> cases;
  for (const fs::path& p : paths) cases.push_back(ParseCase(p));
  return cases;
}

const ReferenceData& Data() {
  static std::unique_ptr<const ReferenceData> data = [] {
    auto loaded = LoadReferenceData(CL_SOURCE_DATA_DIR);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.errors().ToString());
    return std::move(loaded.value());
  }();
  return *data;
}

// Follows "a.b.c" inside a JSON object.
const nlohmann::json* At(const nlohmann::json& root, const std::string& path) {
  const nlohmann::json* node = &root;
  std::istringstream parts(path);
  std::string part;
  while (std::getline(parts, part, '.')) {
    if (!node->is_object() || !node->contains(part)) return nullptr;
    node = &(*node)[part];
  }
  return node;
}

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesHandCalculation) {
  const GoldenCase& c = GetParam();
  fs::path dir =
      fs::temp_directory_path() / ("cl-golden-" + c.name + "-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const auto& [name, content] : c.files) {
    std::string bytes = content;
    if (c.gbk.count(name) != 0) bytes = *EncodeGb18030(content);
    std::ofstream(dir / name, std::ios::binary) << bytes;
  }
  InventoryRequest request{(dir / "units.csv").string(),
                           (dir / "activities.csv").string(),
                           c.year,
                           c.methodology,
                           {},
                           c.equal_value};
  auto input = LoadInput(Data(), request);
  std::vector<std::string> errors;
  std::unique_ptr<Computed> computed;
  if (!input.ok()) {
    for (const Error& e : input.errors().errors()) errors.push_back(e.ToString());
  } else {
    auto result = Compute(Data(), *input.value(), {});
    if (!result.ok()) {
      for (const Error& e : result.errors().errors()) errors.push_back(e.ToString());
    } else {
      computed = std::move(result.value());
    }
  }
  fs::remove_all(dir);

  if (!c.expect_errors.empty()) {
    std::string all;
    for (const std::string& e : errors) all += e + "\n";
    EXPECT_EQ(errors.size(), c.expect_errors.size()) << all;
    for (const std::string& want : c.expect_errors) {
      EXPECT_NE(all.find(want), std::string::npos) << "no error at " << want << " in:\n" << all;
    }
    return;
  }
  ASSERT_TRUE(computed) << (errors.empty() ? "" : errors.front());
  nlohmann::json json = InventoryJson(computed->inventory);
  ASSERT_FALSE(c.expect.empty()) << "a case needs expectations";
  for (const std::string& line : c.expect) {
    std::istringstream in(line);
    std::string unit_id;
    std::string path;
    in >> unit_id >> path;
    const nlohmann::json* unit = nullptr;
    for (const auto& u : json["units"]) {
      if (u["unit_id"] == unit_id) unit = &u;
    }
    ASSERT_NE(unit, nullptr) << "no unit " << unit_id;
    if (path == "has_warning") {
      std::string want;
      std::getline(in, want);
      want = Trim(want);
      bool found = false;
      for (const auto& w : (*unit)["warnings"])
        found = found || w.get<std::string>().find(want) != std::string::npos;
      EXPECT_TRUE(found) << unit_id << " has no warning containing '" << want
                         << "': " << (*unit)["warnings"].dump();
      continue;
    }
    double expected = 0;
    double tolerance = 1e-9;
    in >> expected;
    if (!(in >> tolerance)) tolerance = 1e-9;
    const nlohmann::json* got = At(*unit, path);
    ASSERT_NE(got, nullptr) << unit_id << " has no " << path;
    ASSERT_TRUE(got->is_number()) << path;
    double v = got->get<double>();
    EXPECT_LE(std::fabs(v - expected), tolerance * std::fabs(expected) + 1e-9)
        << unit_id << " " << path << ": got " << v << ", expected " << expected;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param_info) {
                           std::string n = param_info.param.name;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

TEST(GoldenSuite, HasAtLeastTwelveCases) { EXPECT_GE(AllCases().size(), 12u); }

}  // namespace
}  // namespace cl
