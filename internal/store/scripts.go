package store

import "github.com/redis/go-redis/v9"

// appendResult appends a result to a history list once per submission id,
// and returns the same user's result before it: in one round trip.
//
// KEYS[1] results list (entries "<user>|<json>"), KEYS[2] set of stored
// submission ids; ARGV[1] entry, ARGV[2] submission id, ARGV[3] "<user>|"
//
// Returns {1, previous} when appended, {0, previous} when the submission id
// was already stored (previous is then the user's entry before their newest,
// best effort). previous is false when there is none. Only the last 200
// entries are searched.
var appendResult = redis.NewScript(`
local function prev(skip)
  local entries = redis.call('LRANGE', KEYS[1], -200, -1)
  local n = #ARGV[3]
  for i = #entries, 1, -1 do
    if string.sub(entries[i], 1, n) == ARGV[3] then
      if skip == 0 then return entries[i] end
      skip = skip - 1
    end
  end
  return false
end
if redis.call('SADD', KEYS[2], ARGV[2]) == 1 then
  local p = prev(0)
  redis.call('RPUSH', KEYS[1], ARGV[1])
  return {1, p}
end
return {0, prev(1)}
`)

// createPair stores a pair unless it exists.
//
// KEYS[1] pair record; ARGV: field, value, field, value…
// Returns 1 when created, 0 when it existed.
var createPair = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`)

// compareAndSetField replaces a hash field only if it still holds the
// expected value.
//
// KEYS[1] hash; ARGV[1] field, ARGV[2] expected value, ARGV[3] new value
// Returns 1 when replaced, 0 when the field held something else.
var compareAndSetField = redis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`)

// claimSummary moves the pair's last-summary time forward if nobody else
// did since the caller read it.
//
// KEYS[1] summary time (Unix ms); ARGV[1] the time the caller read (ms),
// ARGV[2] the new time (ms). Returns 1 when claimed, 0 otherwise.
var claimSummary = redis.NewScript(`
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`)
