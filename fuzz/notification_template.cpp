// Notification templates (PUT /api/v1/templates/{event}/{channel}/{locale}): the subject, a NUL,
// then the body; validated as when saved, and rendered with every variable set (to text that looks
// like Mustache and HTML, which must come out as text).
#include "app/templates.h"
#include "fuzz_input.h"

using namespace depot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::map<std::string, std::string> values = [] {
    std::map<std::string, std::string> all;
    for (const TemplateVariable& variable : template_variables()) {
      all[std::string(variable.name)] =
          "{{" + std::string(variable.name) + "}} <b>&amp; https://e.x/?a=1";
    }
    return all;
  }();
  std::vector<std::string_view> parts = fuzz::parts_of(fuzz::text_of(data, size), 2);
  MessageTemplate message{std::string(parts[0]), std::string(parts[1])};
  (void)validate_template(message);
  (void)render_template(message, values);
  return 0;
}
