#pragma once
// The demo shop's calendar: local time (China Standard Time, UTC+8, no daylight saving), how busy
// each day is (weekends, a gentle growth over the year, the seasons, the 618 and Singles' Day
// sales, the Spring Festival lull) and when the warehouse dispatches parcels, with a daily
// capacity so that the big sale days leave a backlog, as they do. Pure.

#include <chrono>
#include <map>

#include "cli/demo_random.h"
#include "domain/time.h"

namespace depot::cli {

using Day = std::chrono::sys_days;  // a local calendar date

inline constexpr std::chrono::hours kLocalOffset{8};

Day local_day(Instant at);
Instant local_time(Day day, std::chrono::minutes since_midnight);
Instant start_of(Day day);
std::chrono::minutes minutes_into_day(Instant at);

// How many orders a day brings, relative to an ordinary day at the start of the year.
// `position` is the day's place in the history, 0 for its first day and 1 for its last.
double order_level(Day day, double position);

// The share of the day's orders placed in the first hour after midnight: the sales open then.
double midnight_rush(Day day);

// Whether prices are cut that day (the 618 and Singles' Day sales).
bool sale_day(Day day);

// The Spring Festival (春节) of the day's lunar year, if the table has it.
bool spring_festival_break(Day day);

// The warehouse: open every day but over the Spring Festival, 09:00–18:00 (Sundays 10:00–16:00).
// It packs in two rounds a day (11:00 and 15:30; one at 13:00 on Sundays), each sending the
// orders paid before it starts, up to a number of parcels a day: the big sale days leave a
// backlog.
class Warehouse {
 public:
  // When an order paid at `paid` is sent: in the first round after it on a day with room,
  // `delay_days` open days later for an order someone overlooked.
  Instant dispatch(Instant paid, int delay_days, DemoRandom& random);
  // The next time the warehouse is at work at or after `at`, at least a day later (for the steps
  // that must fall on a later day than what they follow, such as receiving a return).
  Instant next_working_day(Instant at, DemoRandom& random) const;

 private:
  std::map<Day, int> sent_;
};

}  // namespace depot::cli
