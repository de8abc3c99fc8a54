#pragma once
// Tracking values as the JSON the API documents: the aggregator account, parcels with their
// timelines, and the report of a tracking CSV.

#include <boost/json.hpp>

#include "app/tracking_service.h"

namespace depot::http {

boost::json::object to_json(const CarrierAccountView& account);
boost::json::object to_json(const ParcelView& parcel);
boost::json::object to_json(const OrderTracking& tracking);
boost::json::object to_json(const CheckpointImport& report);

}  // namespace depot::http
