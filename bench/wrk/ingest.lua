-- wrk script: POST new 15-minute readings to /api/v1/readings. Request n
-- carries CL_DAYS days of one group of meters; n runs over groups, then
-- periods from 2000, so that every reading is new data stored durably (never a
-- repeat that changes nothing). Env: CL_TOKEN, CL_METERS (comma list),
-- CL_GROUP (meters per request), CL_THREADS (wrk -t), CL_START (the first
-- request number, so that a second run sends new data too).
local token = os.getenv("CL_TOKEN")
local meters = {}
for m in string.gmatch(os.getenv("CL_METERS"), "[^,]+") do meters[#meters + 1] = m end
local group = tonumber(os.getenv("CL_GROUP") or "8")
local groups = math.floor(#meters / group)
local threads = tonumber(os.getenv("CL_THREADS") or "1")
local start = 946684800 -- 2000-01-01T00:00:00Z
local days = tonumber(os.getenv("CL_DAYS") or "7")
local n = 0
local next_id = 0

function setup(thread)
  thread:set("first", next_id)
  next_id = next_id + 1
end

function init(args)
  n = first + tonumber(os.getenv("CL_START") or "0")
end

local function body(k)
  local g = k % groups
  local week = math.floor(k / groups)
  local t0 = start + week * days * 86400
  local rows = {"meter_id,timestamp,value"}
  for j = 1, group do
    local m = meters[g * group + j]
    for i = 0, days * 96 - 1 do
      rows[#rows + 1] = m .. "," .. os.date("!%Y-%m-%dT%H:%M:%SZ", t0 + i * 900) .. "," ..
                        string.format("%.2f", 10 + (i % 96) / 10)
    end
  end
  return table.concat(rows, "\n") .. "\n"
end

request = function()
  local k = n
  n = n + threads
  return wrk.format("POST", "/api/v1/readings?name=wrk.csv",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "text/csv"},
                    body(k))
end
