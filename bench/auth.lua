-- wrk script for signed-in GETs: wrk -s bench/auth.lua http://127.0.0.1:PORT/path
--   FAZHI_BENCH_COOKIE  the session cookie ("fazhi_session=..."), sent on every request
--   FAZHI_BENCH_PATHS   optional: paths separated by spaces, requested in turn by each
--                       connection's thread (else every request asks for the URL's path)
local cookie = os.getenv("FAZHI_BENCH_COOKIE")
if cookie and cookie ~= "" then
	wrk.headers["Cookie"] = cookie
end

local paths = {}
for p in string.gmatch(os.getenv("FAZHI_BENCH_PATHS") or "", "%S+") do
	paths[#paths + 1] = p
end

if #paths > 0 then
	local i = 0
	request = function()
		i = i % #paths + 1
		return wrk.format(nil, paths[i])
	end
end
