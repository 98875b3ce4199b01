// The route table of /api/v1: the rows of each resource's file, in one
// table. Who may call each route and how its resource is resolved is declared
// in the rows (*_routes.cpp); Authorize decides before a handler runs
// (authz.cpp). docs/api.md lists the table by role.
#include "api_impl.h"

namespace cl::api {

const std::vector<Route>& Routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> all;
    for (auto part : {OpsRoutes, IdentityRoutes, UnitRoutes, ImportRoutes, InventoryRoutes,
                      ConsentRoutes, ProgrammeRoutes, ReferenceRoutes})
      for (Route& r : part()) all.push_back(r);
    return all;
  }();
  return routes;
}

}  // namespace cl::api
