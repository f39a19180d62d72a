package store

import "github.com/redis/go-redis/v9"

// appendResult appends a result to a history list once per submission id,
// and returns the same user's result before it: in one round trip.
//
// KEYS[1] results list (entries "<user>|<json>"), KEYS[2] set of stored
// submission ids; ARGV[1] entry, ARGV[2] submission id, ARGV[3] "<user>|".
// In a pair, also KEYS[3] the pair's schedule hash, ARGV[4] the member's
// "answered:<user>" field, ARGV[5] the result's time (ms): the field keeps
// the member's latest answer, so that check-ins need not read the results.
//
// Returns {1, previous} when appended, {0, previous} when the submission id
// was already stored (previous is then the user's entry before their newest,
// best effort). previous is false when there is none. Only the last 200
// entries are searched.
var appendResult = redis.NewScript(AppendResultLua)

// AppendResultLua is appendResult's source, for tools that measure the
// same work without the Store around it (cmd/loadtest).
const AppendResultLua = `
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
  if KEYS[3] and tonumber(ARGV[5]) > tonumber(redis.call('HGET', KEYS[3], ARGV[4]) or '0') then
    redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
  end
  return {1, p}
end
return {0, prev(1)}
`

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
// did since the caller read it, and the pair exists (a summary claimed
// after the pair ended must not leave a key naming it behind).
//
// KEYS[1] summary time (Unix ms), KEYS[2] the pair record; ARGV[1] the
// time the caller read (ms), ARGV[2] the new time (ms). Returns 1 when
// claimed, 0 otherwise.
var claimSummary = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`)

// setJob queues a named job's next occurrence in place of its current one
// (which may be claimed: its claimant's completeJob then finds its lease
// gone). A prompt's member is its name, and the job index keeps its
// occurrence; a member that names its occurrence (the team scorecard's, or
// a prompt's as older builds queued it) is kept in the index itself and
// replaced in the queue.
//
// KEYS[1] due queue, KEYS[2] job names; ARGV[1] name, ARGV[2] member,
// ARGV[3] due ms, ARGV[4] what the index keeps (indexValue)
var setJob = redis.NewScript(`
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old and old ~= ARGV[2] and string.find(old, '|', 1, true) then redis.call('ZREM', KEYS[1], old) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
return 1
`)

// claimJobs leases up to ARGV[3] due jobs: each moves to now + lease, so
// that a claimant that dies leaves it to be claimed again after the lease.
//
// KEYS[1] due queue, KEYS[2] job names; ARGV[1] now ms, ARGV[2] lease ms,
// ARGV[3] limit
// Returns two per claimed job: its member, and the occurrence the job index
// holds for it ("" for a member that names its own).
var claimJobs = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
-- One string for every member's new score, not a number formatted per member.
local untilMs = tostring(tonumber(ARGV[1]) + tonumber(ARGV[2]))
-- One ZADD per chunk of 500 members (Lua's unpack has a limit), not one per member.
for j = 1, #due, 500 do
  local args = {}
  for k = j, math.min(j + 499, #due) do
    args[#args+1] = untilMs
    args[#args+1] = due[k]
  end
  redis.call('ZADD', KEYS[1], unpack(args))
end
-- Each member's occurrence when the job index has it (a member that is a
-- job's name carries no time).
local out = {}
for j = 1, #due, 500 do
  local at = redis.call('HMGET', KEYS[2], unpack(due, j, math.min(j + 499, #due)))
  for k = 1, #at do
    out[#out+1] = due[j + k - 1]
    out[#out+1] = at[k] or ''
  end
end
return out
`)

// completeJobs ends claimed jobs, in one call for a whole batch: each is
// replaced by what it leaves queued (its next occurrence, or a reminder
// staged before it), or removed, only if the job still holds the
// claimant's lease.
//
// KEYS[1] due queue, KEYS[2] job names
// ARGV, six per job: name ("" for a one-off job), claimed member, lease ms,
// next member ("" to remove), next due ms, what the index keeps for it
// (indexValue)
// Returns one integer per job: 1 when completed, 0 when the lease was lost
// (re-claimed or replaced). The jobs' writes are applied together: every
// claimed member is removed (unless it is its own next: a prompt's score is
// moved instead) before any next occurrence is added.
var completeJobs = redis.NewScript(`
-- Variadic calls, a chunk at a time (Lua's unpack has a limit), rather than
-- a few calls per job: each call from Lua costs about a microsecond.
local function chunked(list, f)
  for j = 1, #list, 1000 do
    f(unpack(list, j, math.min(j + 999, #list)))
  end
end
local members, scores = {}, {}
for i = 2, #ARGV, 6 do members[#members+1] = ARGV[i] end
chunked(members, function(...)
  for _, v in ipairs(redis.call('ZMSCORE', KEYS[1], ...)) do scores[#scores+1] = v end
end)
local out, rem, add, names = {}, {}, {}, {}
for k = 1, #members do
  local i = (k - 1) * 6 + 1
  local name, member = ARGV[i], ARGV[i+1]
  out[k] = 0
  if scores[k] and tonumber(scores[k]) == tonumber(ARGV[i+2]) then
    out[k] = 1
    if ARGV[i+3] ~= member then rem[#rem+1] = member end
    if ARGV[i+3] ~= '' then
      add[#add+1] = ARGV[i+4]; add[#add+1] = ARGV[i+3]
      if name ~= '' then names[#names+1] = name; names[#names+1] = ARGV[i+5] end
    elseif name ~= '' then
      redis.call('HDEL', KEYS[2], name)
    end
  end
end
chunked(rem, function(...) redis.call('ZREM', KEYS[1], ...) end)
chunked(add, function(...) redis.call('ZADD', KEYS[1], ...) end)
chunked(names, function(...) redis.call('HSET', KEYS[2], ...) end)
return out
`)

// beginSend marks an occurrence as being sent.
//
// KEYS[1] occurrence; ARGV[1] TTL seconds
// Returns "new" when this call marked it, else its state ("sending": a
// claimant died mid-send; "sent": done).
var beginSend = redis.NewScript(`
if redis.call('SET', KEYS[1], 'sending', 'NX', 'EX', ARGV[1]) then return 'new' end
return redis.call('GET', KEYS[1])
`)

// beginChecks begins a batch of check-ins, in order, so that the second
// member's prompt of a pair joins the round the first one opened. Each is
// one prompt, reminder or snooze of one pair. Its send state is kept in
// the pair's schedule hash, one field per kind and member
// ("send:<kind>|<user>" = "<occurrence ms>|<state>"): an occurrence begun
// replaces the one before, which is over by then, so the hash stays small
// without pruning. A batch is one call, and one key per pair.
//
// A prompt (half > 0) first opens a new round for the pair unless one
// opened less than half a period ago (the partner's prompt of the same
// round, in another time zone, or a re-driven occurrence). Opening a round
// records the streak of the round it closes and forgets both members'
// skips. A prompt to a member who answered in the round, or skipped it,
// sends nothing.
//
// Every check-in is then marked as being sent, unless it was already
// (its state is returned), or a later occurrence of the same kind was
// begun for the member (it is past: "sent").
//
// One call may hold several pairs (one Redis node) or one (Redis Cluster,
// where a script stays in one slot).
//
// KEYS[i] the schedule hash of check-in i
// ARGV, eight per check-in: send state field, occurrence ms, half period
// ms (0: not a prompt), the round the caller saw open (ms, 0 none), the
// streak to record if that round is the one this closes, the member's
// latest answer in the pair (ms, 0 none), the member's skip field, the
// partner's skip field
// Returns four per check-in: opened (0/1), previous round ms, rotation,
// state (as beginSend's, or "none" when there is nothing to send).
var beginChecks = redis.NewScript(`
-- Each pair's fields are read in one HMGET and written in one HSET (and
-- an HDEL when a skip ends), however many of its check-ins the call holds:
-- a call from Lua costs about a microsecond.
local byKey, keys = {}, {}
for i = 1, #KEYS do
  local key, a = KEYS[i], (i - 1) * 8 + 1
  local p = byKey[key]
  if not p then
    p = {fields = {'cycle_at', 'rotation'}, seen = {cycle_at = true, rotation = true}, set = {}, del = {}}
    byKey[key] = p
    keys[#keys+1] = key
  end
  for _, j in ipairs({a, a + 6, a + 7}) do
    local f = ARGV[j]
    if not p.seen[f] then
      p.seen[f] = true
      p.fields[#p.fields+1] = f
    end
  end
end
for _, key in ipairs(keys) do
  local p = byKey[key]
  local v = redis.call('HMGET', key, unpack(p.fields))
  p.val = {}
  for j, f in ipairs(p.fields) do p.val[f] = v[j] end
end
local out = {}
for i = 1, #KEYS do
  local a = (i - 1) * 8 + 1
  local p = byKey[KEYS[i]]
  local val = p.val
  local at, half = tonumber(ARGV[a+1]), tonumber(ARGV[a+2])
  local opened, prev, rot, state = 0, 0, 0, nil
  if half > 0 then
    prev, rot = tonumber(val.cycle_at or '0'), tonumber(val.rotation or '0')
    local round = prev
    if prev > 0 and at - prev < half then
      if val[ARGV[a+6]] then state = 'none' end
    else
      opened, round, rot = 1, at, rot + 1
      val.cycle_at, val.rotation = ARGV[a+1], tostring(rot)
      p.set.cycle_at, p.set.rotation = true, true
      if prev > 0 and prev == tonumber(ARGV[a+3]) then
        val.streak, p.set.streak = ARGV[a+4], true
      end
      for j = a + 6, a + 7 do
        if val[ARGV[j]] then
          val[ARGV[j]], p.del[ARGV[j]] = false, true
        end
      end
    end
    if not state and tonumber(ARGV[a+5]) >= round then state = 'none' end
  end
  if not state then
    state = 'new'
    local m = val[ARGV[a]]
    if m then
      local sep = string.find(m, '|', 1, true) or 0
      local ms = tonumber(string.sub(m, 1, sep - 1)) or 0
      if ms == at then
        state = string.sub(m, sep + 1)
      elseif ms > at then
        state = 'sent'
      end
    end
    if state == 'new' then
      val[ARGV[a]], p.set[ARGV[a]] = ARGV[a+1] .. '|sending', true
    end
  end
  out[#out+1] = opened
  out[#out+1] = prev
  out[#out+1] = rot
  out[#out+1] = state
end
for _, key in ipairs(keys) do
  local p = byKey[key]
  local args, dels = {}, {}
  for f in pairs(p.set) do
    args[#args+1] = f
    args[#args+1] = p.val[f]
  end
  for f in pairs(p.del) do dels[#dels+1] = f end
  if #args > 0 then redis.call('HSET', key, unpack(args)) end
  if #dels > 0 then redis.call('HDEL', key, unpack(dels)) end
end
return out
`)

// createInvitation stores an invitation unless one is stored that has not
// lapsed by the new one's time (a lapsed one is replaced), and lets Redis
// expire it when it lapses.
//
// KEYS[1] invitation hash; ARGV[1] time to live (ms), ARGV[2] the new
// invitation's time (Unix ms), ARGV[3…] field, value, field, value…
// Returns 1 when created, 0 when an open invitation was stored.
var createInvitation = redis.NewScript(`
local at = tonumber(redis.call('HGET', KEYS[1], 'at') or '')
if at and at + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`)

// consumeInvitation deletes an invitation if it is the one the caller read.
//
// KEYS[1] invitation hash; ARGV[1] inviter, ARGV[2] its time (Unix ms)
// Returns 1 when deleted, 0 when it was gone or another.
var consumeInvitation = redis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'from', 'at')
if v[1] ~= ARGV[1] or v[2] ~= ARGV[2] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`)

// setIfExists sets hash fields only if the hash exists (and keeps its TTL).
//
// KEYS[1] hash; ARGV field, value, field, value…
// Returns 1 when set, 0 when the hash was gone.
var setIfExists = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1
`)

// takeOverCouple replaces a couple key whose pair is gone with a leased
// claim, if it still holds the gone pair.
//
// KEYS[1] couple key; ARGV[1] the gone pair's id, ARGV[2] the claiming
// pair's id, ARGV[3] lease ms
// Returns 1 when taken over, 0 otherwise.
var takeOverCouple = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`)

// keepCouple makes a couple key's claim permanent, if the pair holds it.
//
// KEYS[1] couple key; ARGV[1] pair id
// Returns 1 when kept, 0 when another pair holds it.
var keepCouple = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PERSIST', KEYS[1])
return 1
`)

// compareAndDelete deletes a string only if it holds the expected value.
//
// KEYS[1] string; ARGV[1] expected value
// Returns 1 when deleted, 0 otherwise.
var compareAndDelete = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`)

// snoozeOnce records a member's snooze of a round unless one is recorded
// for that round.
//
// KEYS[1] the pair's schedule hash; ARGV[1] the member's snooze field,
// ARGV[2] "<round ms>|", ARGV[3] "<round ms>|<due ms>"
// Returns the value that stands.
var snoozeOnce = redis.NewScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur and string.sub(cur, 1, #ARGV[2]) == ARGV[2] then return cur end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return ARGV[3]
`)

// rememberView records a modal the bot opened for a user, until now + ttl
// on Redis's clock, drops the lapsed ones, and keeps the set's own TTL
// at its newest record's.
//
// KEYS[1] the user's views; ARGV[1] view id, ARGV[2] ttl ms
var rememberView = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`)

// hasView reports whether a user's modal record is there and not lapsed.
//
// KEYS[1] the user's views; ARGV[1] view id
// Returns 1 or 0.
var hasView = redis.NewScript(`
local lapses = tonumber(redis.call('ZSCORE', KEYS[1], ARGV[1]) or '0')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if lapses > now then return 1 end
return 0
`)

// saveSteps stores a member's Next Steps with the wishes they send and the
// edits of wishes sent before, all or nothing.
//
// KEYS[1] the member's lists (STRING), KEYS[2] the pair's wishes (HASH);
// ARGV[1] the lists' JSON, ARGV[2] n, then n pairs (new wish id, JSON),
// then triples (edited wish id, its JSON as read, its new JSON).
// Returns 1 when stored, 0 when an edited wish held something else.
var saveSteps = redis.NewScript(`
local n = tonumber(ARGV[2])
local first = 3 + 2 * n
for i = first, #ARGV, 3 do
  if redis.call('HGET', KEYS[2], ARGV[i]) ~= ARGV[i+1] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
for i = 3, first - 1, 2 do
  redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i+1])
end
for i = first, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i+2])
end
return 1
`)

// saveReflection stores a member's check-in answer of a round and moves
// their latest answer in the pair forward, never back.
//
// KEYS[1] the pair's reflections (HASH), KEYS[2] its schedule (HASH);
// ARGV[1] field "<round ms>|<user>", ARGV[2] JSON, ARGV[3] the member's
// "answered:<user>" field, ARGV[4] the answer's time (ms)
var saveReflection = redis.NewScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if tonumber(ARGV[4]) > tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0') then
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
end
return 1
`)

// addCharterVersion stores a new version of a pair's charter if the newest
// stored is still the one its drafter started from, and the pair exists
// (a pair deleted meanwhile gets no charter key back).
//
// KEYS[1] charter hash, KEYS[2] pair record; ARGV[1] the base version's
// number (0: none), ARGV[2] the new version's JSON
// Returns 1 when stored (as version base+1), 0 when another version came
// first, -1 when the pair is gone.
var addCharterVersion = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local n = tonumber(redis.call('HGET', KEYS[1], 'latest') or '0')
if n ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v:' .. (n + 1), ARGV[2], 'latest', n + 1)
return 1
`)

// swapCharterField replaces a field of a pair's charter if it still holds
// what the caller read (a field never written reads as ""), and the pair
// exists.
//
// KEYS[1] charter hash, KEYS[2] pair record; ARGV[1] field, ARGV[2] the
// value read, ARGV[3] the new value
// Returns 1 when replaced, 0 when the field held something else, -1 when
// the pair is gone.
var swapCharterField = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`)

// setCharterCard records where a version's card is, if the version is
// stored.
//
// KEYS[1] charter hash; ARGV[1] the version's field, ARGV[2] its card's
// field, ARGV[3] "<channel>|<ts>"
// Returns 1 when set, 0 when the version is gone.
var setCharterCard = redis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return 1
`)

// saveGoal stores one goal of a pair's roadmap if the roadmap is still at
// the revision the caller read, and moves the revision on: so a save made
// from an older read (which may not have seen a goal enter Now) is refused.
//
// KEYS[1] goals hash, KEYS[2] roadmap revision; ARGV[1] the revision read,
// ARGV[2] goal id, ARGV[3] goal JSON.
// Returns the new revision, or 0 when the roadmap changed meanwhile.
var saveGoal = redis.NewScript(`
if tonumber(redis.call('GET', KEYS[2]) or '0') ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
return redis.call('INCR', KEYS[2])
`)

// addWin stores a win once per id and indexes it by time.
//
// KEYS[1] wins hash, KEYS[2] wins by time; ARGV[1] win id, ARGV[2] win
// JSON, ARGV[3] when it was logged (ms).
// Returns 1 when stored, 0 when the id was stored already.
var addWin = redis.NewScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
`)

// winsSince reads the wins logged at or after a time, oldest first, in one
// round trip.
//
// KEYS[1] wins hash, KEYS[2] wins by time; ARGV[1] the earliest time (ms,
// or '-inf').
// Returns the wins' JSON (false for an id whose win is gone).
var winsSince = redis.NewScript(`
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], ARGV[1], '+inf')
local out = {}
-- One HMGET per chunk of 500 ids (Lua's unpack has a limit).
for j = 1, #ids, 500 do
  local vs = redis.call('HMGET', KEYS[1], unpack(ids, j, math.min(j + 499, #ids)))
  for k = 1, #vs do out[#out+1] = vs[k] end
end
return out
`)
