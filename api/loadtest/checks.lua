-- What ops.lua and peers.lua share: a response is an error unless it is HTTP 200 and its body
-- has no "errors" member (the first error body of each thread is kept as a sample), and the
-- threads' counts summed at the end. Loaded with dofile from the directory of the script.

function response(status, headers, body)
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
    if sample == "" then sample = status .. " " .. body:sub(1, 300) end
  end
end

-- The errors of every thread (the list setup() filled), and the first thread's sample error body ("" when none).
function thread_errors(threads)
  local errs, first = 0, ""
  for _, t in ipairs(threads) do
    errs = errs + t:get("errors")
    if first == "" then first = t:get("sample") end
  end
  return errs, first
end
