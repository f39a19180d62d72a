package store

// Every key is "<prefix>:v1:{<hash tag>}:<name>". The schema version lets a
// later release migrate without guessing; the hash tag keeps one user's, or
// one pair's, keys in one Redis Cluster slot, so that a Lua script or a
// MULTI may touch them together in one round trip.
const schema = "v1"

type keys struct{ prefix string }

func (k keys) user(userID string) string { return k.prefix + ":" + schema + ":{u:" + userID + "}" }
func (k keys) pair(id string) string     { return k.prefix + ":" + schema + ":{p:" + id + "}" }

// results is one user's assessment history outside any pair, oldest first.
// LIST of "<user>|<json>".
func (k keys) results(userID string) string { return k.user(userID) + ":results" }

// submissions holds the submission ids stored in the user's own history,
// so that a retry stores nothing. SET.
func (k keys) submissions(userID string) string { return k.user(userID) + ":subs" }

// views holds the modals the bot opened for a user, by the external_id it
// gave them, scored with when the record lapses (Unix ms). ZSET.
func (k keys) views(userID string) string { return k.user(userID) + ":views" }

// former holds a user's own history of the partnerships that ended, by
// key (the pair's start and the user's role: never the partner's id).
// HASH of JSON.
func (k keys) former(userID string) string { return k.user(userID) + ":former" }

// userKeys are every key in a user's slot: what delete-my-data removes.
// A key added to the user's slot belongs here.
func (k keys) userKeys(userID string) []string {
	return []string{
		k.results(userID), k.submissions(userID), k.pairsOf(userID), k.defaultPair(userID), k.away(userID),
		k.invitationsOf(userID), k.views(userID), k.former(userID),
	}
}

// pairsOf is the set of pair ids a user belongs to. SET.
func (k keys) pairsOf(userID string) string { return k.user(userID) + ":pairs" }

// defaultPair is the pair a user chose last. STRING.
func (k keys) defaultPair(userID string) string { return k.user(userID) + ":default_pair" }

// couple names the one pair two people may have, whoever is its assistant:
// "{c:<lower id>-<higher id>}". STRING: the pair's ID.
func (k keys) couple(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return k.prefix + ":" + schema + ":{c:" + a + "-" + b + "}"
}

// invitation is a pair proposed and not answered yet, in the pair's own
// slot. HASH: assistant, executive, from, at (Unix ms), card_channel,
// card_ts; it expires with the invitation.
func (k keys) invitation(id string) string { return k.pair(id) + ":invitation" }

// invitationsOf is the set of pair ids a user has an invitation for, sent
// or received; entries whose invitation is gone are dropped on read. SET.
func (k keys) invitationsOf(userID string) string { return k.user(userID) + ":invitations" }

// pairRecord holds the pair's members. HASH.
func (k keys) pairRecord(id string) string { return k.pair(id) + ":pair" }

// pairResults holds both members' results in the pair, oldest first. LIST of "<user>|<json>".
func (k keys) pairResults(id string) string { return k.pair(id) + ":results" }

// pairSubmissions holds the submission ids stored in the pair. SET.
func (k keys) pairSubmissions(id string) string { return k.pair(id) + ":subs" }

// steps holds one member's Next Steps lists. STRING (JSON).
func (k keys) steps(id, userID string) string { return k.pair(id) + ":steps:" + userID }

// wishes holds the pair's wish items by id. HASH of JSON.
func (k keys) wishes(id string) string { return k.pair(id) + ":wishes" }

// wishCards holds where each wish's card is (the message that showed it to
// its addressee), so that the card is redrawn after anyone moves the wish.
// HASH wish id → "<channel>|<ts>".
func (k keys) wishCards(id string) string { return k.pair(id) + ":wish_cards" }

// reflections holds each member's check-in answer of each round. HASH
// "<round ms>|<user>" → JSON.
func (k keys) reflections(id string) string { return k.pair(id) + ":reflections" }

// charter holds the pair's charter. HASH: latest (the newest version's
// number), v:<n> (version n as JSON: what it says, who drafted it when,
// who accepted it when), card:<n> ("<channel>|<ts>" of the card asking
// the partner to accept version n), reviews (JSON: each quarter's review
// of the version in force and who confirmed it). Joint text: it goes with
// the pair, and is kept in no member's Former.
func (k keys) charter(id string) string { return k.pair(id) + ":charter" }

// goals holds the pair's roadmap goals by id. HASH of JSON.
func (k keys) goals(id string) string { return k.pair(id) + ":goals" }

// goalsRev is the roadmap's revision, moved on by every save of a goal, so
// that a save made from an older read is refused (the Now limit holds
// across concurrent saves). STRING (integer).
func (k keys) goalsRev(id string) string { return k.pair(id) + ":goals_rev" }

// wins holds the pair's wins by id. HASH of JSON.
func (k keys) wins(id string) string { return k.pair(id) + ":wins" }

// winsAt orders the pair's win ids by when they were logged (Unix ms).
// ZSET.
func (k keys) winsAt(id string) string { return k.pair(id) + ":wins_at" }

// summaryAt is when the pair's last summary went out, Unix ms. STRING.
func (k keys) summaryAt(id string) string { return k.pair(id) + ":summary_at" }

// schedule holds the pair's check-in settings and cycle state. HASH:
// spec, spec_zone (a zone the user named; "" each member's own), paused,
// assess (how often check-ins ask for the self-assessment),
// tz:<user>, cycle_at, rotation, skipped:<user>, snoozed:<user>, streak,
// answered:<user> (the member's latest result in the pair, Unix ms), and
// send:<kind>|<user> = "<occurrence ms>|sending" (then "|sent"): the send
// state of the member's latest check-in DM of that kind, so that a retried
// occurrence is not sent twice.
func (k keys) schedule(id string) string { return k.pair(id) + ":schedule" }

// away is when a user's out-of-office ends, Unix ms. STRING.
func (k keys) away(userID string) string { return k.user(userID) + ":away_until" }

// dueQueue orders every scheduled job by due time, Unix ms; all scheduler
// keys share the {due} slot so one script can move them together. ZSET.
func (k keys) dueQueue() string { return k.prefix + ":" + schema + ":{due}:queue" }

// dueJobs maps a recurring job's stable name to where it is queued: a
// prompt ("prompt|<pair>|<user>", also its queue member) to its occurrence
// (Unix ms), which a lease hides from the queue's score, or, while the
// member's reminder is queued in the prompt's place, to "+<reminder ms>";
// the team scorecard ("team") to its queue member ("team|-|-|<occurrence
// ms>"). HASH.
func (k keys) dueJobs() string { return k.prefix + ":" + schema + ":{due}:jobs" }

// seen marks an envelope (by a stable id) as handled. STRING with TTL.
func (k keys) seen(id string) string { return k.prefix + ":" + schema + ":seen:" + id }

// consent holds which members agreed to show the pair's scorecard where:
// a channel, or the team scorecard. HASH "<scope>|<user>" → "1".
func (k keys) consent(id string) string { return k.pair(id) + ":consent" }

// scorecardRequest holds the asks waiting for the partner's consent. HASH
// "<scope>" → JSON (by, at, the ask card's channel and ts).
func (k keys) scorecardRequest(id string) string { return k.pair(id) + ":scorecard_request" }

// allPairs indexes every pair, for the team scorecard. SET.
func (k keys) allPairs() string { return k.prefix + ":" + schema + ":{idx}:pairs" }

// teamSince is when the last team scorecard went out, Unix ms. STRING.
func (k keys) teamSince() string { return k.prefix + ":" + schema + ":{team}:since" }

// teamOccurrence is the send state of one team scorecard. STRING with TTL.
func (k keys) teamOccurrence(job string) string {
	return k.prefix + ":" + schema + ":{team}:occ:" + job
}
