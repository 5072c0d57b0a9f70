-- wrk: POST each refresh token of the file in $BENCH_TOKENS once, as {"refresh": "<token>"}.
local tokens, next_index = {}, 1
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local token = tokens[next_index] or tokens[#tokens]  -- past the end: refused, counted as non-2xx
  next_index = next_index + 1
  return wrk.format(nil, nil, nil, '{"refresh": "' .. token .. '", "transport": "body"}')
end
