-- Requests spread over many callers, as a public deployment sees them
-- behind nginx (trusted_proxies): each request names one of CL_ADDRESSES
-- client addresses in X-Forwarded-For and, when CL_COOKIES names a file of
-- "cl_session=..." lines, one of those sessions. The server's per-caller
-- limits then apply per user and per address, as they do in production.
local cookies = {}
local addresses = tonumber(os.getenv("CL_ADDRESSES") or "1000")
local n = 0

function init(args)
  local path = os.getenv("CL_COOKIES")
  if path and path ~= "" then
    for line in io.lines(path) do
      if line ~= "" then cookies[#cookies + 1] = line end
    end
  end
  n = math.random(1, 1000000)
end

function request()
  n = n + 1
  local a = n % addresses
  local headers = {
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(a / 65536) % 256,
                                        math.floor(a / 256) % 256, a % 256),
  }
  if #cookies > 0 then headers["Cookie"] = cookies[(n % #cookies) + 1] end
  return wrk.format(nil, wrk.path, headers)
end
