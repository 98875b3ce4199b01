// Defect: a new reading quietly revises data under an inventory that is already verified (issue
// 14, item 8).
//
// Now the inventory, read through the API, says "data_changed" with the
// difference (totals and lines, stored against now), the batch that changed
// it and the correction that restates it; the import's transaction writes an
// audit record naming the inventory; imports of other units or years flag
// nothing; and a correction, once verified, shows no change.
#include "ingest/activities_import.h"
#include "inventory/data_changes.h"
#include "inventory/inventories.h"
#include "inventory/stored_inventory.h"
#include "security_fixture.h"

namespace cl::security {
namespace {

using json = nlohmann::json;

const char* kReadings = "meter_id,timestamp,value\n";

class DataChangedUnderInventory : public StoreCase {
 protected:
  // SH-CHEM-01's 2025 inventory from 1000 + 500 kWh on meter E1, verified.
  int64_t VerifiedInventory() {
    Import("first.csv", std::string(kReadings) +
                            "SH-CHEM-01/E1,2025-03-01T00:00:00+08:00,1000\n"
                            "SH-CHEM-01/E1,2025-03-01T00:15:00+08:00,500\n");
    StoredInventoryRequest r;
    r.unit_id = "SH-CHEM-01";
    r.year = 2025;
    r.methodology = "cn-national";
    auto id = ComputeAndSaveInventory(*store_, Data(), options_.vee, r, actor_);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    EXPECT_TRUE(SetInventoryStatus(*store_, *id, InventoryStatus::kSubmitted, actor_, "").ok());
    EXPECT_TRUE(
        SetInventoryStatus(*store_, *id, InventoryStatus::kVerified, actor_, "reasonable").ok());
    return *id;
  }

  json Get(int64_t id) {
    ApiResponse r = Call("GET", "/api/v1/inventories/" + std::to_string(id), "");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  std::vector<AuditEntry> Flags(int64_t id) {
    auto e = store_->Audit().ListAuditOf(kDataChangedAction, "inventory", std::to_string(id));
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : std::vector<AuditEntry>{};
  }

  // carbonledger_inventory_data_checks_total: inventories computed again on read.
  int64_t Checks() {
    ApiResponse r = Call("GET", "/metrics", "");
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string name = "\ncarbonledger_inventory_data_checks_total ";
    const size_t at = r.body.find(name);
    return at == std::string::npos ? -1 : std::stoll(r.body.substr(at + name.size()));
  }

  // The stored line of E1, with the factors the arithmetic below names.
  json StoredLine(int64_t id) { return Get(id)["document"]["units"][0]["lines"][0]; }
};

TEST_P(DataChangedUnderInventory, AReadingAfterVerificationShowsTheDifference) {
  const int64_t id = VerifiedInventory();
  OpenApi();
  json before = Get(id);
  ASSERT_TRUE(before.contains("data_changed"));
  EXPECT_TRUE(before["data_changed"].is_null());
  EXPECT_TRUE(Flags(id).empty());

  ImportResult more =
      Import("late.csv", std::string(kReadings) + "SH-CHEM-01/E1,2025-03-01T00:30:00+08:00,250\n");
  ASSERT_EQ(more.batch.accepted, 1);
  json got = Get(id);
  const json& changed = got["data_changed"];
  ASSERT_TRUE(changed.is_object()) << got.dump();
  EXPECT_EQ(changed["since"], "verification");
  // The stored document is as it was: 1000 + 500 = 1500 kWh.
  EXPECT_EQ(got["document"]["units"][0]["lines"][0]["quantity"].get<double>(), 1500.0);

  // One line: E1's March 2025, 1500 kWh then, 1500 + 250 = 1750 kWh now.
  ASSERT_EQ(changed["lines"].size(), 1U) << changed.dump();
  const json& line = changed["lines"][0];
  EXPECT_EQ(line["change"], "revised");
  EXPECT_EQ(line["meter"], "SH-CHEM-01/E1");
  EXPECT_EQ(line["period_start"], "2025-03-01");
  EXPECT_EQ(line["unit_of_measure"], "kWh");
  EXPECT_EQ(line["quantity"]["stored"].get<double>(), 1500.0);
  EXPECT_EQ(line["quantity"]["now"].get<double>(), 1750.0);
  EXPECT_EQ(line["quantity"]["difference"].get<double>(), 250.0);
  // Energy: 250 kWh × 0.1229 kgce/kWh (GB/T 2589-2020 Annex A, equivalent value) = 30.725 kgce
  // = 0.030725 tce; stored 1500 × 0.1229 / 1000 = 0.18435 tce.
  EXPECT_NEAR(line["energy_tce"]["stored"].get<double>(), 0.18435, 1e-12);
  EXPECT_NEAR(line["energy_tce"]["difference"].get<double>(), 0.030725, 1e-12);
  // Emissions: the line used MEE 公告2025年第47号's Shanghai average for data year 2023,
  // 0.5737 tCO2e/MWh (grid-electricity 2025.12): stored 1.5 MWh × 0.5737 = 0.86055 tCO2e,
  // and the difference 0.25 MWh × 0.5737 = 0.143425 tCO2e.
  const json stored_line = StoredLine(id);
  ASSERT_EQ(stored_line["factors"][1]["value"].get<double>(), 0.5737) << stored_line.dump();
  EXPECT_NEAR(line["tco2e"]["stored"].get<double>(), 0.86055, 1e-12);
  EXPECT_NEAR(line["tco2e"]["difference"].get<double>(), 0.143425, 1e-12);

  // Totals: energy and scope 2 and the total move by the same amounts.
  std::map<std::string, json> totals;
  for (const json& t : changed["totals"]) totals[t["field"]] = t;
  ASSERT_TRUE(totals.contains("energy_tce")) << changed.dump();
  EXPECT_EQ(totals["energy_tce"]["unit"], "tce");
  EXPECT_NEAR(totals["energy_tce"]["difference"].get<double>(), 0.030725, 1e-12);
  ASSERT_TRUE(totals.contains("total_tco2e"));
  EXPECT_NEAR(totals["total_tco2e"]["stored"].get<double>(), 0.86055, 1e-12);
  EXPECT_NEAR(totals["total_tco2e"]["now"].get<double>(), 0.86055 + 0.143425, 1e-12);
  EXPECT_NEAR(totals["total_tco2e"]["difference"].get<double>(), 0.143425, 1e-12);
  EXPECT_FALSE(totals.contains("scope1_tco2e"));

  // The batch that changed it, and the way to restate it.
  ASSERT_EQ(changed["batches"].size(), 1U);
  EXPECT_EQ(changed["batches"][0]["batch"], more.batch.id);
  EXPECT_EQ(changed["batches"][0]["periods"], json::array({"2025-03"}));
  EXPECT_EQ(changed["restatement"]["proposed"], true);
  EXPECT_EQ(changed["restatement"]["how"],
            "POST /api/v1/inventories/" + std::to_string(id) + "/corrections");

  // In the audit log, written by the import's transaction.
  std::vector<AuditEntry> flags = Flags(id);
  ASSERT_EQ(flags.size(), 1U);
  json after = json::parse(flags[0].after);
  EXPECT_EQ(after["batch"], more.batch.id);
  EXPECT_EQ(after["unit"], "SH-CHEM-01");
  EXPECT_EQ(after["reporting_year"], 2025);
  EXPECT_EQ(after["inventory_status"], "verified");
  // The log still verifies: the record does not pass for the inventory's own fields.
  ApiResponse verified = Call("GET", "/api/v1/audit/verification", "");
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(json::parse(verified.body)["problems"], json::array()) << verified.body;
  EXPECT_NE(flags[0].reason.find("import batch " + std::to_string(more.batch.id)),
            std::string::npos);

  // Reads with no write in between compute nothing again.
  const int64_t checks = Checks();
  ASSERT_GE(checks, 1);
  Get(id);
  Get(id);
  EXPECT_EQ(Checks(), checks);

  // The same reading again changes nothing more and names no new batch.
  Import("again.csv", std::string(kReadings) + "SH-CHEM-01/E1,2025-03-01T00:30:00+08:00,250\n");
  EXPECT_EQ(Flags(id).size(), 1U);
  EXPECT_EQ(Get(id)["data_changed"]["batches"].size(), 1U);
}

TEST_P(DataChangedUnderInventory, ImportsOfOtherUnitsOrYearsDoNotFlagIt) {
  const int64_t id = VerifiedInventory();
  OpenApi();
  Import("other.csv", std::string(kReadings) +
                          "SH-AUTO-01/E1,2025-03-01T00:00:00+08:00,100\n"
                          "SH-CHEM-01/E1,2024-03-01T00:00:00+08:00,100\n"
                          "SH-CHEM-01/E1,2026-03-01T00:00:00+08:00,100\n");
  const std::string acts =
      "unit_id,site_id,activity,quantity,unit_of_measure,period_start,period_end,data_source,"
      "instrument,instrument_ids,factor,factor_unit,note,meter_id\n"
      "SH-AUTO-01,,natural_gas,100,m3,2025-02-01,2025-02-28,bill,,,,,,\n"
      "SH-CHEM-01,,natural_gas,100,m3,2024-02-01,2024-02-29,bill,,,,,,\n";
  auto r = ImportActivities(*store_, Data(), Write("acts.csv", acts), actor_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->batch.accepted, 2);
  EXPECT_TRUE(Flags(id).empty());
  EXPECT_TRUE(Get(id)["data_changed"].is_null());
}

TEST_P(DataChangedUnderInventory, ARecordSentThroughTheApiIsFlaggedToo) {
  const int64_t id = VerifiedInventory();
  OpenApi();
  // A gas bill of February 2025 (HTTP path, activities import).
  ApiResponse up = Call("POST", "/api/v1/activities?name=bill.csv", "",
                        "unit_id,site_id,activity,quantity,unit_of_measure,period_start,"
                        "period_end,data_source,instrument,instrument_ids,factor,factor_unit,"
                        "note,meter_id\n"
                        "SH-CHEM-01,,natural_gas,1000,m3,2025-02-01,2025-02-28,bill,,,,,,\n");
  ASSERT_EQ(up.status, 201) << up.body;
  const int64_t batch = json::parse(up.body)["batch"]["id"];
  std::vector<AuditEntry> flags = Flags(id);
  ASSERT_EQ(flags.size(), 1U);
  EXPECT_EQ(json::parse(flags[0].after)["batch"], batch);
  EXPECT_EQ(json::parse(flags[0].after)["periods"], json::array({"2025-02-01/2025-02-28"}));
  const json changed = Get(id)["data_changed"];
  ASSERT_TRUE(changed.is_object());
  ASSERT_EQ(changed["lines"].size(), 1U) << changed.dump();
  EXPECT_EQ(changed["lines"][0]["change"], "added");
  EXPECT_TRUE(changed["lines"][0]["quantity"]["stored"].is_null());
  EXPECT_EQ(changed["lines"][0]["quantity"]["now"].get<double>(), 1000.0);
}

TEST_P(DataChangedUnderInventory, ACorrectionRestatesItAndShowsNoChange) {
  const int64_t id = VerifiedInventory();
  OpenApi();
  Import("late.csv", std::string(kReadings) + "SH-CHEM-01/E1,2025-03-01T00:30:00+08:00,250\n");
  ASSERT_TRUE(Get(id)["data_changed"].is_object());
  ApiResponse c = Call("POST", "/api/v1/inventories/" + std::to_string(id) + "/corrections",
                       R"({"reason":"a late reading of March"})");
  ASSERT_EQ(c.status, 201) << c.body;
  const int64_t next = json::parse(c.body)["id"];
  EXPECT_TRUE(Get(next)["data_changed"].is_null());  // a draft
  ASSERT_TRUE(SetInventoryStatus(*store_, next, InventoryStatus::kSubmitted, actor_, "").ok());
  ASSERT_TRUE(SetInventoryStatus(*store_, next, InventoryStatus::kVerified, actor_, "ok").ok());
  json now = Get(next);
  EXPECT_TRUE(now["data_changed"].is_null()) << now["data_changed"].dump();
  EXPECT_EQ(now["document"]["units"][0]["lines"][0]["quantity"].get<double>(), 1750.0);
  // The old version still says what changed under it.
  EXPECT_TRUE(Get(id)["data_changed"].is_object());
  // A later reading flags the correction, not the version it superseded.
  Import("later.csv", std::string(kReadings) + "SH-CHEM-01/E1,2025-03-01T00:45:00+08:00,1\n");
  EXPECT_EQ(Flags(next).size(), 1U);
  EXPECT_EQ(Flags(id).size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Stores, DataChangedUnderInventory,
                         ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
