// Reads a file of the bundled data/ folder in tests that sit below the app
// layer (which owns the real loader).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace cl::testing_support {

inline std::string ReadData(const std::string& relative_path) {
  std::ifstream in(std::string(CL_SOURCE_DATA_DIR) + "/" + relative_path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace cl::testing_support
