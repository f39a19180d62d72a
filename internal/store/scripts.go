package store

import "github.com/redis/go-redis/v9"

// appendResult appends a result to a user's history once per submission id,
// and returns what the caller needs to show the change: in one round trip.
//
// KEYS[1] results list, KEYS[2] submission marker
// ARGV[1] encoded result, ARGV[2] marker TTL in seconds
//
// Returns {1, previous} when appended, {0, previous} when the submission id
// was already stored (previous is then the entry before the newest, best
// effort). previous is false when there is none.
var appendResult = redis.NewScript(`
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  local prev = redis.call('LINDEX', KEYS[1], -1)
  redis.call('RPUSH', KEYS[1], ARGV[1])
  return {1, prev}
end
return {0, redis.call('LINDEX', KEYS[1], -2)}
`)
