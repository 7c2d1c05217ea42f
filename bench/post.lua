-- wrk script for the durable-writes benchmark: every request registers a 行政复议 case.
--   wrk -s bench/post.lua http://127.0.0.1:PORT/api/v1/reconsiderations
--   FAZHI_BENCH_COOKIE  the session cookie ("fazhi_session=...")
--   FAZHI_BENCH_CSRF    the session's CSRF token
--   FAZHI_BENCH_BODY    the JSON body (case numbers are assigned by the server)
wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("FAZHI_BENCH_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("FAZHI_BENCH_CSRF")
wrk.headers["Content-Type"] = "application/json"
wrk.body = os.getenv("FAZHI_BENCH_BODY")
