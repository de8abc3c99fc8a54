#pragma once
// Kuaidi100's messages without the network: the JSON `param` of a subscription (POST {url}/poll)
// and of a real-time query (POST {url}/poll/query.do), and what the answers and the pushes say,
// in depot's terms (form bodies and signatures: kuaidi100_wire.h). Kuaidi100 writes numbers as
// strings or as numbers, and times as "YYYY-MM-DD HH:MM:SS" in China time; both are read here.
// Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "app/carrier_tracker.h"
#include "domain/result.h"
#include "domain/time.h"

namespace depot::carriers::kuaidi100 {

// {"company", "number", "key", "parameters": {"callbackurl", "salt", "resultv2": "1", "phone"?}}:
// resultv2 asks for each checkpoint's state and area; the phone goes only when there is one.
std::string subscribe_param(const TrackingAccount& account, const TrackedParcel& parcel);

// {"com", "num", "phone"?, "resultv2": "1"}.
std::string query_param(const TrackedParcel& parcel);

// A wall-clock time in China (UTC+8 all year) as "YYYY-MM-DD HH:MM:SS", or shortened to the
// minute, the hour or the day (estimates come so), as an instant; nothing when malformed.
std::optional<Instant> china_time(std::string_view text);

// What the answer to a subscription says: ok when accepted (returnCode 200) or already followed
// (501, 重复订阅); `unavailable` for a server error (500 and other 5xx) or an answer that is not
// Kuaidi100's; `invalid` for a refusal (600 bad key, 601 expired key, 700 bad parameters or
// callback URL, 701 carrier refused, 702 carrier unknown for the number, anything else).
Status read_subscribe_answer(std::string_view body);

// What the answer to a real-time query says: the report (status "200"); `not_found` when
// Kuaidi100 has nothing yet (returnCode 500, 查询无结果); `unavailable` for 501 server error, 502
// busy and other 5xx, or an answer that is not Kuaidi100's; `invalid` for 400 (unknown carrier,
// incomplete request, no quota), 408 (the carrier needs the phone), 503 (bad signature: the key or
// customer is wrong), 601 (expired key) and anything else.
Result<TrackingReport> read_query_answer(std::string_view body);

// The report in a push's `param` (its signature already checked): `lastResult` read as a query
// answer, `status` "abort" as aborted with the push's `message`. `invalid`, naming the field
// ("param.lastResult.data[2].ftime"), when it cannot be read.
Result<TrackingReport> read_push_param(std::string_view param);

}  // namespace depot::carriers::kuaidi100
