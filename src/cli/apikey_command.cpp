#include <iostream>

#include "app/access_service.h"
#include "cli/commands.h"
#include "cli/open_store.h"

namespace depot::cli {

void add_apikey_command(CLI::App& app, int& exit_code) {
  auto* apikey = app.add_subcommand("apikey", "Manage API keys");
  apikey->require_subcommand(1);
  auto* create = apikey->add_subcommand("create", "Create a key (and the merchant if missing)");
  struct Options {
    std::string data_dir = "./data";
    std::string tenant;
    std::string role = "owner";
    std::string db;
  };
  auto options = std::make_shared<Options>();
  create->add_option("--data", options->data_dir, "Data directory")->envname("DEPOT_DATA");
  create->add_option("--tenant", options->tenant, "Merchant slug")->required();
  create->add_option("--role", options->role, "owner, operator, service or viewer")
      ->check(CLI::IsMember({"owner", "operator", "service", "viewer"}));
  add_db_option(*create, options->db);
  create->callback([options, &exit_code] {
    OpenStore opened(options->data_dir, options->db);
    SystemClock clock;
    AccessService access(opened.store(), clock);
    Result<CreatedKey> created = access.create_key(options->tenant, *parse_role(options->role));
    if (!created.ok()) {
      std::cerr << "depot: " << created.error().message << "\n";
      exit_code = 2;
      return;
    }
    std::cout << "created a " << options->role << " key for merchant " << options->tenant
              << "; it is shown only now:\n"
              << created->key << "\n";
    exit_code = 0;
  });
}

}  // namespace depot::cli
