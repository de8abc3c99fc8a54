#include "cli/demo_calendar.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

namespace depot::cli {

namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

// 春节 (the first day of the lunar year), from the Purple Mountain Observatory's calendar.
constexpr std::array<std::chrono::year_month_day, 12> kSpringFestivals = {{
    {std::chrono::year{2024}, std::chrono::month{2}, std::chrono::day{10}},
    {std::chrono::year{2025}, std::chrono::month{1}, std::chrono::day{29}},
    {std::chrono::year{2026}, std::chrono::month{2}, std::chrono::day{17}},
    {std::chrono::year{2027}, std::chrono::month{2}, std::chrono::day{6}},
    {std::chrono::year{2028}, std::chrono::month{1}, std::chrono::day{26}},
    {std::chrono::year{2029}, std::chrono::month{2}, std::chrono::day{13}},
    {std::chrono::year{2030}, std::chrono::month{2}, std::chrono::day{3}},
    {std::chrono::year{2031}, std::chrono::month{1}, std::chrono::day{23}},
    {std::chrono::year{2032}, std::chrono::month{2}, std::chrono::day{11}},
    {std::chrono::year{2033}, std::chrono::month{1}, std::chrono::day{31}},
    {std::chrono::year{2034}, std::chrono::month{2}, std::chrono::day{19}},
    {std::chrono::year{2035}, std::chrono::month{2}, std::chrono::day{8}},
}};

// Days from the nearest Spring Festival (negative before it), or nothing when none is near.
std::optional<int> days_from_spring_festival(Day day) {
  for (const auto& festival : kSpringFestivals) {
    int offset = static_cast<int>((day - Day{festival}).count());
    if (offset > -30 && offset < 30) return offset;
  }
  return std::nullopt;
}

unsigned month_of(Day day) {
  return static_cast<unsigned>(std::chrono::year_month_day{day}.month());
}
unsigned day_of_month(Day day) {
  return static_cast<unsigned>(std::chrono::year_month_day{day}.day());
}
bool is_date(Day day, unsigned month, unsigned date) {
  return month_of(day) == month && day_of_month(day) == date;
}
bool is_sunday(Day day) { return std::chrono::weekday{day} == std::chrono::Sunday; }

// Relative to an ordinary Friday: people shop at the weekend.
constexpr std::array<double, 7> kWeekday = {1.28, 0.92, 0.88, 0.9, 0.95, 1.0, 1.22};  // Sun..Sat
constexpr std::array<double, 12> kMonth = {0.95, 0.85, 1.0, 1.0, 1.0, 1.1,
                                           0.9,  0.9,  1.0, 1.0, 1.2, 1.15};

minutes opening(Day day) { return is_sunday(day) ? hours(10) : hours(9); }
minutes closing(Day day) { return is_sunday(day) ? hours(16) : hours(18); }
// The warehouse packs in rounds, each sending what was paid before it starts.
struct PackingRound {
  minutes start;
  minutes length;
};
std::vector<PackingRound> packing_rounds(Day day) {
  if (is_sunday(day)) return {{hours(13), minutes(90)}};
  return {{hours(11), minutes(60)}, {hours(15) + minutes(30), minutes(90)}};
}
int capacity(Day day) { return is_sunday(day) ? 50 : 90; }
bool open(Day day) { return !spring_festival_break(day); }

}  // namespace

Day local_day(Instant at) { return std::chrono::floor<days>(at + kLocalOffset); }

Instant start_of(Day day) { return Instant{day} - kLocalOffset; }

Instant local_time(Day day, minutes since_midnight) { return start_of(day) + since_midnight; }

minutes minutes_into_day(Instant at) {
  return std::chrono::floor<minutes>(at - start_of(local_day(at)));
}

double order_level(Day day, double position) {
  double level = kWeekday[std::chrono::weekday{day}.c_encoding()] * kMonth[month_of(day) - 1] *
                 (0.85 + 0.3 * position);
  // Singles' Day (双十一): the first wave from 1 November, the day itself, the tail after it.
  if (is_date(day, 11, 11)) {
    level *= 5.0;
  } else if (is_date(day, 11, 10) || is_date(day, 11, 12)) {
    level *= 1.5;
  } else if (month_of(day) == 11 && day_of_month(day) <= 3) {
    level *= 1.6;
  }
  // 618 (JD's anniversary sale) and its warm-up; 双十二.
  if (is_date(day, 6, 18)) {
    level *= 3.2;
  } else if (is_date(day, 6, 17) || is_date(day, 6, 1)) {
    level *= 1.5;
  }
  if (is_date(day, 12, 12)) level *= 1.8;
  if (std::optional<int> festival = days_from_spring_festival(day)) {
    // Parcels stop around the festival, and buyers know it.
    if (*festival >= -3 && *festival <= 5) {
      level *= 0.4;
    } else if (*festival >= -10 && *festival < -3) {
      level *= 0.8;
    }
  }
  return level;
}

double midnight_rush(Day day) {
  if (is_date(day, 11, 11)) return 0.35;
  if (is_date(day, 6, 18)) return 0.25;
  return 0;
}

bool sale_day(Day day) {
  return is_date(day, 11, 11) || is_date(day, 6, 18) || is_date(day, 12, 12) ||
         (month_of(day) == 11 && day_of_month(day) <= 3);
}

bool spring_festival_break(Day day) {
  std::optional<int> festival = days_from_spring_festival(day);
  return festival && *festival >= -2 && *festival <= 4;
}

Instant Warehouse::dispatch(Instant paid, int delay_days, DemoRandom& random) {
  Instant ready = paid + minutes(15);
  int skipped = 0;
  for (Day day = local_day(paid);; day += days(1)) {
    if (!open(day) || sent_[day] >= capacity(day)) continue;
    for (const PackingRound& round : packing_rounds(day)) {
      if (local_time(day, round.start) < ready) continue;
      if (skipped < delay_days) {
        ++skipped;  // overlooked for another day
        break;
      }
      ++sent_[day];
      return local_time(day, round.start + minutes(random.below(round.length.count())));
    }
  }
}

Instant Warehouse::next_working_day(Instant at, DemoRandom& random) const {
  Day day = local_day(at) + days(1);
  while (!open(day)) day += days(1);
  minutes span = closing(day) - opening(day);
  return local_time(day, opening(day) + minutes(random.between(20, span.count() - 30)));
}

}  // namespace depot::cli
