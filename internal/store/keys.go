package store

// Every key is "<prefix>:v1:{<hash tag>}:<name>". The schema version lets a
// later release migrate without guessing; the hash tag keeps one user's keys
// in one Redis Cluster slot, so a Lua script may touch them together.
const schema = "v1"

type keys struct{ prefix string }

func (k keys) user(userID string) string { return k.prefix + ":" + schema + ":{u:" + userID + "}" }

// results is one user's assessment history, oldest first. LIST of JSON.
func (k keys) results(userID string) string { return k.user(userID) + ":results" }

// submission marks a submission id as stored, so a retry stores nothing. STRING with TTL.
func (k keys) submission(userID, id string) string { return k.user(userID) + ":sub:" + id }
