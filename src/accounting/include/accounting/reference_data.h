// Versioned, sourced reference datasets (data/reference/, see
// docs/reference-data.md) and the pinned set an inventory computes with.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/period.h"
#include "core/units.h"

namespace cl {

struct DatasetInfo {
  std::string id;
  std::string version;
  std::string file;       // relative to data/reference/
  std::string published;  // ISO date or empty
  std::string title;
  std::string notes;
};

struct FactorRow {
  const DatasetInfo* dataset = nullptr;  // owned by the Dataset holding the row
  int line = 0;                          // line in the dataset file
  std::string key;
  std::string parameter;
  Measured value;
  std::string region;
  std::optional<Date> valid_from;  // empty = since ever
  std::optional<Date> valid_to;    // empty = open
  std::string source;
  char confidence = 'U';
  std::string note;

  bool ValidOn(Date d) const {
    return (!valid_from || *valid_from <= d) && (!valid_to || d <= *valid_to);
  }
};

class Dataset {
 public:
  // Parses and validates a rows file; every bad row is reported (file:line,
  // column) and none is kept when any is bad.
  static Checked<std::shared_ptr<const Dataset>> Parse(DatasetInfo info, std::string_view csv_text,
                                                       const std::string& source);

  const DatasetInfo& info() const { return info_; }
  const std::vector<FactorRow>& rows() const { return rows_; }

  // The row for key/parameter/region valid on `on`, or nullptr.
  const FactorRow* Find(std::string_view key, std::string_view parameter, std::string_view region,
                        Date on) const;
  // The row with the latest validity that ends before `on` (for a factor not
  // yet published for the year), or nullptr.
  const FactorRow* FindLatestBefore(std::string_view key, std::string_view parameter,
                                    std::string_view region, Date on) const;

 private:
  DatasetInfo info_;
  std::vector<FactorRow> rows_;
};

// dataset id -> version
using DatasetPins = std::map<std::string, std::string>;

// The datasets of one calculation, one version each.
class ReferenceSet {
 public:
  const Dataset* Get(std::string_view id) const;
  DatasetPins Pins() const;
  void Add(std::shared_ptr<const Dataset> d) { datasets_.push_back(std::move(d)); }

 private:
  std::vector<std::shared_ptr<const Dataset>> datasets_;
};

// Every version of every dataset.
class ReferenceLibrary {
 public:
  void Add(std::shared_ptr<const Dataset> d);
  // Newest version of each dataset, replaced by `pins` where given. Fails when
  // a pin names an unknown dataset or version.
  Result<ReferenceSet> Select(const DatasetPins& pins = {}) const;
  // All versions, oldest first, per dataset id.
  const std::map<std::string, std::vector<std::shared_ptr<const Dataset>>>& all() const {
    return by_id_;
  }
  const Dataset* Find(std::string_view id, std::string_view version) const;

 private:
  std::map<std::string, std::vector<std::shared_ptr<const Dataset>>> by_id_;
};

// Parses the manifest datasets.csv.
Checked<std::vector<DatasetInfo>> ParseManifest(std::string_view csv_text,
                                                const std::string& source);

}  // namespace cl
