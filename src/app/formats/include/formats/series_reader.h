// Reading meter usage and temperature series for M&V (`carbonledger mv`):
// CSV, optionally gzip-compressed, UTF-8 or GBK, English or Chinese headers.
//
//   usage:       start,value            (开始时间,用量)   one row per period start;
//                                          an empty value or "nan" is missing data
//   temperature: dt,tempF | dt,tempC    (时间,温度F | 时间,温度C)
//
// Timestamps are ISO 8601; without an offset they are read at `default_offset`
// (Asia/Shanghai: +08:00). Every bad row is reported (file:line:column).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"
#include "mv/production.h"
#include "mv/series.h"

namespace cl {

Checked<mv::UsageSeries> ReadUsageSeries(std::string_view bytes, const std::string& source,
                                         std::chrono::minutes default_offset);
// production: start,<product>,<product>…  (开始时间, then one column per product)
Checked<mv::ProductionSeries> ReadProductionSeries(std::string_view bytes,
                                                   const std::string& source,
                                                   std::chrono::minutes default_offset);

Checked<mv::TemperatureSeries> ReadTemperatureSeries(std::string_view bytes,
                                                     const std::string& source,
                                                     std::chrono::minutes default_offset);

}  // namespace cl
