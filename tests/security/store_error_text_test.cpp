// Defect: a store conflict was answered 409 with the internal SQL text and the driver's message
// (issue 14).
//
// A constraint of the database is made to fail under an import (a trap
// planted in the schema, as any constraint the application does not expect):
// the answer names the problem in domain words and carries no SQL, no table
// and no driver text; the error keeps that text for the operator's log.
#include "security_fixture.h"
#include "store/chunk.h"

namespace cl::security {
namespace {

class StoreErrorText : public StoreCase {
 protected:
  // Every new reading chunk now violates a NOT NULL constraint of a table
  // the application does not know.
  void PlantTrap() {
    const std::string err =
        GetParam() == "sqlite"
            ? fixture_->Raw(
                  "CREATE TABLE trap (x INTEGER NOT NULL);"
                  "CREATE TRIGGER trap_chunks BEFORE INSERT ON reading_chunks "
                  "BEGIN INSERT INTO trap VALUES (NULL); END;")
            : fixture_->Raw(
                  "CREATE TABLE trap (x INTEGER NOT NULL);"
                  "CREATE FUNCTION trap_f() RETURNS trigger AS $$ BEGIN "
                  "INSERT INTO trap VALUES (NULL); RETURN NEW; END $$ LANGUAGE plpgsql;"
                  "CREATE TRIGGER trap_chunks BEFORE INSERT ON reading_chunks "
                  "FOR EACH ROW EXECUTE FUNCTION trap_f();");
    ASSERT_EQ(err, "");
  }
};

const char* kLeaks[] = {"SQLite", "PostgreSQL", "INSERT",  "reading_chunks",
                        "trap",   "constraint", "NOT NULL"};

TEST_P(StoreErrorText, TheStoreKeepsTheDriverTextApartFromTheMessage) {
  PlantTrap();
  const MeterRecord e1 = Meter("SH-CHEM-01/E1");
  Status st = store_->Readings().PutChunk(
      {e1.unit_no, e1.meter_no, 20000, 1, 1.0, 0, EncodeChunk(Chunk(96))});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kConflict);
  for (const char* leak : kLeaks)
    EXPECT_EQ(st.error().message().find(leak), std::string::npos) << st.error().message();
  EXPECT_NE(st.error().internal().find("trap"), std::string::npos) << st.error().internal();
  EXPECT_NE(st.error().ToString().find("trap"), std::string::npos);  // for the log
}

TEST_P(StoreErrorText, AnImportThatMeetsAConflictAnswersWithoutSql) {
  OpenApi();
  PlantTrap();
  ApiResponse up = Call("POST", "/api/v1/readings?name=r.csv", "",
                        "meter_id,timestamp,value\n"
                        "SH-CHEM-01/E1,2025-03-01T00:00:00+08:00,1.5\n");
  EXPECT_EQ(up.status, 409) << up.body;
  EXPECT_EQ(up.content_type, "application/problem+json");
  for (const char* leak : kLeaks) EXPECT_EQ(up.body.find(leak), std::string::npos) << up.body;
  EXPECT_NE(up.body.find("contradicts data the store holds"), std::string::npos) << up.body;
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreErrorText, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace cl::security
