// Loads the bundled data folder: reference datasets (every version), the
// activity catalog, provinces and methodology profiles. Start here to see
// what an inventory computes with.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "accounting/catalog.h"
#include "accounting/profile.h"
#include "accounting/reference_data.h"
#include "core/error.h"
#include "core/region.h"
#include "model/records.h"

namespace cl {

struct ReferenceData {
  std::string dir;
  ReferenceLibrary library;
  ActivityCatalog catalog;
  RegionTable regions;
  std::vector<Profile> profiles;

  const Profile* FindProfile(std::string_view id) const;
};

// Reads `data_dir` (the repository's data/ folder or an installed copy).
// Every file is validated; all errors of all files are returned together.
// The result is heap-allocated because records point into its catalog.
Checked<std::unique_ptr<const ReferenceData>> LoadReferenceData(const std::string& data_dir);

// The bundled data plus dataset versions published through the API (kept in
// the store). Each must be a new version of a bundled dataset; its rows are
// validated like a file's, and named "store:<dataset>/<version>" in errors.
Checked<std::unique_ptr<const ReferenceData>> LoadReferenceData(
    const std::string& data_dir, const std::vector<DatasetVersionRecord>& published);

// Whether `candidate` may be published on top of `data`: every error (an
// unknown dataset, an existing version, bad rows with line and column).
ErrorList CheckDatasetVersion(const ReferenceData& data, const DatasetVersionRecord& candidate);

// The data folder: `flag` when given, else $CARBONLEDGER_DATA, else the data/
// folder beside or above the running executable, else the source tree's.
std::string ResolveDataDir(const std::string& flag);

}  // namespace cl
