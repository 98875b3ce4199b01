#include "refdata/reference_store.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "core/encoding.h"
#include "store/store.h"

#ifndef CL_SOURCE_DATA_DIR
#error "CL_SOURCE_DATA_DIR must be defined by the build"
#endif

namespace cl {
namespace {

namespace fs = std::filesystem;

// Reads a file, adding an error to `errors` on failure.
std::optional<std::string> Read(const fs::path& path, ErrorList& errors) {
  Result<std::string> text = ReadFile(path.string());
  if (!text.ok()) {
    errors.Add(text.error());
    return std::nullopt;
  }
  return std::move(*text);
}

void LoadDatasets(const fs::path& dir, ReferenceData& data, ErrorList& errors) {
  const fs::path manifest_path = dir / "reference" / "datasets.csv";
  std::optional<std::string> manifest = Read(manifest_path, errors);
  if (!manifest) return;
  Checked<std::vector<DatasetInfo>> infos = ParseManifest(*manifest, manifest_path.string());
  if (!infos.ok()) {
    errors.Append(infos.errors());
    return;
  }
  for (DatasetInfo& info : infos.value()) {
    const fs::path path = dir / "reference" / info.file;
    std::optional<std::string> text = Read(path, errors);
    if (!text) continue;
    auto dataset = Dataset::Parse(std::move(info), *text, path.string());
    if (!dataset.ok()) {
      errors.Append(dataset.errors());
      continue;
    }
    data.library.Add(std::move(dataset.value()));
  }
}

void LoadProfiles(const fs::path& dir, ReferenceData& data, ErrorList& errors) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir / "methodologies", ec)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  if (ec) {
    errors.Add(Error::Io("cannot list methodologies: " + ec.message(),
                         {(dir / "methodologies").string(), 0, 0, ""}));
    return;
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& path : files) {
    std::optional<std::string> text = Read(path, errors);
    if (!text) continue;
    Result<Profile> profile = ParseProfile(*text, path.string());
    if (!profile.ok()) {
      errors.Add(profile.error());
      continue;
    }
    data.profiles.push_back(std::move(*profile));
  }
}

// Every dataset row a profile names must exist in the library.
void CheckProfiles(const ReferenceData& data, ErrorList& errors) {
  for (const Profile& p : data.profiles) {
    std::vector<const FactorRef*> refs = {&p.electricity_location, &p.heat};
    if (p.electricity_market_residual) {
      refs.push_back(&*p.electricity_market_residual);
      refs.push_back(&p.green_instrument);
    }
    for (const InstrumentRule& rule : p.location_instruments) refs.push_back(&rule.factor);
    for (const FactorRef* ref : refs) {
      if (!data.library.all().contains(ref->dataset)) {
        errors.Add(Error::InvalidInput("names dataset '" + ref->dataset + "', which does not exist",
                                       {p.source, 0, 0, ref->key}));
      }
    }
  }
}

}  // namespace

const Profile* ReferenceData::FindProfile(std::string_view id) const {
  for (const Profile& p : profiles) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

namespace {

Checked<std::shared_ptr<const Dataset>> ParsePublished(const DatasetVersionRecord& r) {
  DatasetInfo info;
  info.id = r.dataset;
  info.version = r.version;
  info.file = "store:" + r.dataset + "/" + r.version;
  info.published = r.published;
  info.title = r.title;
  info.notes = r.notes;
  const std::string source = info.file;
  return Dataset::Parse(std::move(info), r.rows_csv, source);
}

}  // namespace

ErrorList CheckDatasetVersion(const ReferenceData& data, const DatasetVersionRecord& candidate) {
  ErrorList errors;
  auto known = data.library.all().find(candidate.dataset);
  if (known == data.library.all().end()) {
    errors.Add(Error::InvalidInput("unknown dataset '" + candidate.dataset +
                                       "'; a published version must belong to a bundled dataset",
                                   {"", 0, 0, "dataset"}));
    return errors;
  }
  if (data.library.Find(candidate.dataset, candidate.version))
    errors.Add(Error::Conflict("dataset " + candidate.dataset + " version " + candidate.version +
                                   " already exists; a change is a new version",
                               {"", 0, 0, "version"}));
  if (candidate.version.empty() || candidate.version.size() > 40 ||
      candidate.version.find_first_of("/\\ ,") != std::string::npos)
    errors.Add(Error::InvalidInput("a version is 1 to 40 characters without '/', spaces or commas",
                                   {"", 0, 0, "version"}));
  auto parsed = ParsePublished(candidate);
  if (!parsed.ok()) errors.Append(parsed.errors());
  return errors;
}

Checked<std::unique_ptr<const ReferenceData>> LoadReferenceData(
    const std::string& data_dir, const std::vector<DatasetVersionRecord>& published) {
  auto bundled = LoadReferenceData(data_dir);
  if (!bundled.ok()) return bundled.errors();
  if (published.empty()) return std::move(bundled.value());
  // Records point into the catalog, so the data is built once more, whole.
  auto data = std::make_unique<ReferenceData>(*bundled.value());
  ErrorList errors;
  for (const auto& r : published) {
    auto d = ParsePublished(r);
    if (!d.ok()) {
      errors.Append(d.errors());
      continue;
    }
    data->library.Add(std::move(d.value()));
  }
  if (!errors.empty()) return errors;
  return std::unique_ptr<const ReferenceData>(std::move(data));
}

Checked<std::unique_ptr<const ReferenceData>> LoadReferenceData(const std::string& data_dir) {
  auto data = std::make_unique<ReferenceData>();
  data->dir = data_dir;
  const fs::path dir(data_dir);
  ErrorList errors;
  LoadDatasets(dir, *data, errors);
  std::optional<std::string> activities = Read(dir / "activities.csv", errors);
  std::optional<std::string> scope3 = Read(dir / "scope3-categories.csv", errors);
  if (activities && scope3) {
    auto catalog = ActivityCatalog::Parse(*activities, (dir / "activities.csv").string(), *scope3,
                                          (dir / "scope3-categories.csv").string());
    if (catalog.ok())
      data->catalog = std::move(catalog.value());
    else
      errors.Append(catalog.errors());
  }
  if (std::optional<std::string> bounds = Read(dir / "bounds.csv", errors)) {
    auto parsed = PhysicalBounds::Parse(*bounds, (dir / "bounds.csv").string());
    if (parsed.ok())
      data->catalog.SetBounds(std::move(parsed.value()));
    else
      errors.Append(parsed.errors());
  }
  if (std::optional<std::string> regions = Read(dir / "regions.csv", errors)) {
    auto table = RegionTable::Parse(*regions, (dir / "regions.csv").string());
    if (table.ok())
      data->regions = std::move(table.value());
    else
      errors.Append(table.errors());
  }
  LoadProfiles(dir, *data, errors);
  CheckProfiles(*data, errors);
  if (!errors.empty()) return errors;
  return std::unique_ptr<const ReferenceData>(std::move(data));
}

std::string ResolveDataDir(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("CARBONLEDGER_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
      if (fs::exists(p / "data" / "reference" / "datasets.csv")) return (p / "data").string();
      if (fs::exists(p / "share" / "carbonledger" / "reference" / "datasets.csv")) {
        return (p / "share" / "carbonledger").string();
      }
    }
  }
  return CL_SOURCE_DATA_DIR;
}

}  // namespace cl
