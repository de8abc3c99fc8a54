#include <iostream>

#include "app/user_service.h"
#include "cli/commands.h"
#include "cli/open_store.h"

namespace depot::cli {

void add_user_command(CLI::App& app, int& exit_code) {
  auto* user = app.add_subcommand("user", "Manage console users");
  user->require_subcommand(1);
  auto* create =
      user->add_subcommand("create", "Create a console user (and the merchant if missing)");
  struct Options {
    std::string data_dir = "./data";
    std::string tenant;
    std::string email;
    std::string role = "operator";
    std::string password;
    std::string db;
  };
  auto options = std::make_shared<Options>();
  create->add_option("--data", options->data_dir, "Data directory")->envname("DEPOT_DATA");
  create->add_option("--tenant", options->tenant, "Merchant slug")->required();
  create->add_option("--email", options->email, "The user's email, which they log in with")
      ->required();
  create->add_option("--role", options->role, "owner, operator, service or viewer")
      ->check(CLI::IsMember({"owner", "operator", "service", "viewer"}));
  create->add_option("--password", options->password,
                     "The password (else read from the first line of standard input)");
  add_db_option(*create, options->db);
  create->callback([options, &exit_code] {
    std::string password = options->password;
    // A password on the command line is visible to other users of the machine; standard input
    // is not.
    if (password.empty()) std::getline(std::cin, password);
    OpenStore opened(options->data_dir, options->db);
    SystemClock clock;
    UserService users(opened.store(), clock);
    Result<UserRecord> created =
        users.create_for_merchant(options->tenant, {options->email, options->role, password});
    if (!created.ok()) {
      std::cerr << "depot: " << created.error().message << "\n";
      exit_code = 2;
      return;
    }
    std::cout << "created " << options->role << " " << created->email << " (user " << created->id
              << ") for merchant " << options->tenant << "\n";
    exit_code = 0;
  });
}

}  // namespace depot::cli
