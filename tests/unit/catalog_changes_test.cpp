#include "domain/catalog_changes.h"

#include <gtest/gtest.h>

namespace depot {
namespace {

Product a_mug() {
  Product p;
  p.sku = "MUG-RED";
  p.name = "Red mug";
  p.price = 1250;
  p.currency = "CNY";
  p.attributes = {{"colour", "red"}, {"size", "M"}};
  p.weight_grams = 350;
  p.low_stock_threshold = 5;
  return p;
}

TEST(ProductChanges, EachChangedFieldWithMoneyAsYuan) {
  Product before = a_mug();
  Product after = before;
  after.price = 1500;
  after.attributes["size"] = "L";
  after.low_stock_threshold = 10;
  after.version = 2;
  EXPECT_EQ(product_changes(before, after),
            (std::vector<FieldChange>{{"price", "12.50", "15.00"},
                                      {"attributes", "colour=red, size=M", "colour=red, size=L"},
                                      {"low_stock_threshold", "5", "10"}}));
  EXPECT_TRUE(product_changes(before, before).empty());
}

TEST(ProductChanges, ANewProductFromNothing) {
  Product mug = a_mug();
  mug.price = 0;
  EXPECT_EQ(product_created_changes(mug),
            (std::vector<FieldChange>{{"name", "", "Red mug"},
                                      {"price", "", "0.00"},
                                      {"currency", "", "CNY"},
                                      {"attributes", "", "colour=red, size=M"},
                                      {"weight_grams", "", "350"},
                                      {"low_stock_threshold", "", "5"}}));
}

}  // namespace
}  // namespace depot
