#include "domain/stock.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "domain/catalog.h"

namespace depot {
namespace {

TEST(Stock, ReserveNeverOversells) {
  StockBalance balance{10, 7};
  EXPECT_TRUE(reserve(balance, 3).ok());
  Result<Movement> too_many = reserve(balance, 4);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code, ErrorCode::insufficient_stock);
  EXPECT_FALSE(reserve(balance, 0).ok());
  EXPECT_FALSE(reserve(balance, -1).ok());
}

TEST(Stock, MovementsKeepBalancesNonNegative) {
  StockBalance balance{10, 4};
  EXPECT_FALSE(release(balance, 5).ok());
  EXPECT_EQ(apply(balance, *release(balance, 4)), (StockBalance{10, 0}));
  EXPECT_FALSE(adjust_to_count(balance, 3).ok()) << "below what is reserved";
  EXPECT_EQ(adjust_to_count(balance, 6)->on_hand_delta, -4);
  EXPECT_FALSE(adjust_by(balance, -7).ok()) << "more than available";
  EXPECT_EQ(adjust_by(balance, -6)->on_hand_delta, -6);
  EXPECT_FALSE(adjust_by(balance, 0).ok());
  EXPECT_FALSE(transfer_out(balance, 7).ok());
  EXPECT_FALSE(receive(balance, kMaxStockQuantity).ok());
}

TEST(Stock, AllocateTakesLocationsInOrder) {
  std::vector<LocationAvailability> locations = {{1, {5, 2}}, {2, {10, 0}}};
  auto allocations = allocate(locations, 6);
  ASSERT_TRUE(allocations.ok());
  ASSERT_EQ(allocations->size(), 2u);
  EXPECT_EQ((*allocations)[0].location_id, 1);
  EXPECT_EQ((*allocations)[0].quantity, 3);
  EXPECT_EQ((*allocations)[1].quantity, 3);
  Result<std::vector<Allocation>> short_of = allocate(locations, 14);
  ASSERT_FALSE(short_of.ok());
  EXPECT_NE(short_of.error().message.find("only 13 available"), std::string::npos);
}

TEST(Stock, LowStockAlertOpensOnceAndClosesWhenReplenished) {
  EXPECT_EQ(low_stock_change(false, 4, 5), LowStockChange::open);
  EXPECT_EQ(low_stock_change(true, 3, 5), LowStockChange::none);
  EXPECT_EQ(low_stock_change(true, 5, 5), LowStockChange::close);
  EXPECT_EQ(low_stock_change(false, 5, 5), LowStockChange::none);
  EXPECT_EQ(low_stock_change(false, 0, 0), LowStockChange::none);
  EXPECT_EQ(low_stock_change(true, 0, 0), LowStockChange::close);
}

TEST(Catalog, LocationRefs) {
  EXPECT_EQ(parse_location_ref("default"), default_location());
  EXPECT_EQ(parse_location_ref("east/A-01")->to_string(), "east/A-01");
  EXPECT_FALSE(parse_location_ref("a/b/c").has_value());
  EXPECT_FALSE(parse_location_ref("").has_value());
}

TEST(Catalog, SniffsImages) {
  EXPECT_EQ(sniff_image_type(std::string("\x89PNG\r\n\x1a\n....", 12)), "image/png");
  EXPECT_EQ(sniff_image_type("\xff\xd8\xff\xe0"), "image/jpeg");
  EXPECT_EQ(sniff_image_type("GIF89a.."), "image/gif");
  EXPECT_EQ(sniff_image_type("RIFF\x10\0\0\0WEBPVP8 "), "");  // embedded NUL ends the literal
  EXPECT_EQ(sniff_image_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(sniff_image_type("hello"), "");
}

TEST(Catalog, ValidatesProducts) {
  Product p;
  p.sku = "MUG-1";
  p.name = "杯子";
  EXPECT_TRUE(validate_product(p).empty());
  p.sku = "no spaces";
  p.price = -1;
  EXPECT_EQ(validate_product(p).size(), 2u);
}

}  // namespace
}  // namespace depot

namespace depot {
namespace {

TEST(Stock, ExtremeDeltasAreRefusedWithoutOverflow) {
  StockBalance balance{10, 0};
  EXPECT_EQ(adjust_by(balance, INT64_MIN).error().code, ErrorCode::conflict);
  EXPECT_FALSE(adjust_by(balance, INT64_MAX).ok());
}

}  // namespace
}  // namespace depot
