// SPDX-License-Identifier: Apache-2.0
// `fwp show layers` and `fwp show fields LAYER`: the catalog, for people and scripts.
#include "cli/cli_common.h"
#include "model/catalog.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace openfwp::cli {
namespace {

std::string_view family_name(model::Family family) {
  switch (family) {
    case model::Family::kV4:
      return "v4";
    case model::Family::kV6:
      return "v6";
    case model::Family::kNone:
      return "-";
  }
  return "?";
}

std::string field_type_text(const model::LayerInfo& layer, model::FieldId field) {
  return std::string(model::data_type_name(model::incoming_type(layer.id, field)));
}

int show_layers(const OutputOptions& options) {
  auto out = open_output(options);
  if (!out) return kExitInput;
  if (options.parsed_format() == Format::kText) {
    *out << fmt::format("{:<52} {:<38} {:>4} {:<6} {}\n", "LAYER", "GUID", "ID", "FAMILY",
                        "FIELDS");
    for (const auto& layer : model::all_layers()) {
      *out << fmt::format(
          "{:<52} {:<38} {:>4} {:<6} {}\n", layer.wfp_name, layer.key.to_string(), layer.runtime_id,
          family_name(layer.family),
          layer.fields.empty() ? std::string("-") : std::to_string(layer.fields.size()));
    }
    return kExitOk;
  }
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& layer : model::all_layers()) {
    nlohmann::ordered_json entry{{"name", layer.wfp_name},
                                 {"alias", layer.alias},
                                 {"key", layer.key.to_string()},
                                 {"runtime_id", layer.runtime_id},
                                 {"family", family_name(layer.family)},
                                 {"discard", layer.is_discard},
                                 {"field_count", layer.fields.size()}};
    if (options.parsed_format() == Format::kJsonl) {
      *out << entry.dump() << '\n';
    } else {
      layers.push_back(entry);
    }
  }
  if (options.parsed_format() == Format::kJson) *out << layers.dump(2) << '\n';
  return kExitOk;
}

int show_fields(const std::string& layer_text, const OutputOptions& options) {
  const auto layer_id = model::find_layer(layer_text);
  if (!layer_id) {
    return report(Error{ErrorCode::kLayerNotFound, model::unknown_layer_message(layer_text), {}});
  }
  const auto& layer = model::layer_info(*layer_id);
  auto out = open_output(options);
  if (!out) return kExitInput;
  if (options.parsed_format() == Format::kText) {
    *out << fmt::format("{} {} ({})\n", layer.wfp_name, layer.key.to_string(),
                        family_name(layer.family));
    if (auto twin = model::discard_layer_of(layer.id)) {
      *out << fmt::format("discard layer: {}\n", model::layer_info(*twin).wfp_name);
    }
    if (layer.fields.empty()) {
      *out << "fields: not catalogued for this layer\n";
      return kExitOk;
    }
    *out << fmt::format("{:<4} {:<52} {:<38} {}\n", "#", "FIELD", "GUID", "TYPE");
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
      const auto& field = model::field_info(layer.fields[i]);
      *out << fmt::format("{:<4} {:<52} {:<38} {}\n", i, field.wfp_name, field.key.to_string(),
                          field_type_text(layer, field.id));
    }
    return kExitOk;
  }
  nlohmann::ordered_json fields = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < layer.fields.size(); ++i) {
    const auto& field = model::field_info(layer.fields[i]);
    nlohmann::ordered_json entry{{"index", i},
                                 {"name", field.wfp_name},
                                 {"alias", field.alias},
                                 {"key", field.key.to_string()},
                                 {"type", field_type_text(layer, field.id)}};
    if (options.parsed_format() == Format::kJsonl) {
      *out << entry.dump() << '\n';
    } else {
      fields.push_back(entry);
    }
  }
  if (options.parsed_format() == Format::kJson) {
    nlohmann::ordered_json doc{{"layer", layer.wfp_name},
                               {"key", layer.key.to_string()},
                               {"family", family_name(layer.family)},
                               {"fields", fields}};
    *out << doc.dump(2) << '\n';
  }
  return kExitOk;
}

}  // namespace

void add_show_verb(CLI::App& app, VerbAction& run) {
  auto* show = app.add_subcommand("show", "Show the catalog: layers and their fields");
  show->require_subcommand(1);

  auto layers_options = std::make_shared<OutputOptions>();
  auto* layers = show->add_subcommand("layers", "List every filtering layer with its GUID");
  layers_options->bind(*layers, {"text", "json", "jsonl"});
  layers->callback(
      [&run, layers_options] { run = [layers_options] { return show_layers(*layers_options); }; });

  auto fields_options = std::make_shared<OutputOptions>();
  auto layer_name = std::make_shared<std::string>();
  auto* fields = show->add_subcommand("fields", "List the condition fields available at a layer");
  fields->add_option("LAYER", *layer_name, "Layer: WFP name, alias or GUID")->required();
  fields_options->bind(*fields, {"text", "json", "jsonl"});
  fields->callback([&run, fields_options, layer_name] {
    run = [fields_options, layer_name] { return show_fields(*layer_name, *fields_options); };
  });
}

}  // namespace openfwp::cli
