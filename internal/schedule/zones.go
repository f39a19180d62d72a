package schedule

import (
	"sync"
	"time"
)

// Zones caches one *time.Location per IANA zone name, because
// time.LoadLocation reads and parses the zone file on every call (about 2 KB
// allocated each time). Unknown names are cached too, as misses: names come
// from Slack's users.info, a small set. Safe for concurrent use; the zero
// value is ready to use.
type Zones struct {
	mu     sync.RWMutex
	byName map[string]*time.Location // nil value: the name is not a zone
}

// NewZones returns an empty cache.
func NewZones() *Zones { return &Zones{byName: make(map[string]*time.Location)} }

// Get returns the zone named name, loading it on first use; every call with
// the same name returns the same pointer. An empty, unknown or "Local" name
// (the server's zone, never a member's) gives UTC and ok false.
func (z *Zones) Get(name string) (loc *time.Location, ok bool) {
	if name == "" || name == "Local" {
		return time.UTC, false
	}
	z.mu.RLock()
	loc, seen := z.byName[name]
	z.mu.RUnlock()
	if !seen {
		loc = z.load(name)
	}
	if loc == nil {
		return time.UTC, false
	}
	return loc, true
}

// load loads name outside the lock and stores it unless another goroutine
// stored it first, so that all callers share one pointer.
func (z *Zones) load(name string) *time.Location {
	loaded, err := time.LoadLocation(name)
	if err != nil {
		loaded = nil
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if existing, seen := z.byName[name]; seen {
		return existing
	}
	if z.byName == nil {
		z.byName = make(map[string]*time.Location)
	}
	z.byName[name] = loaded
	return loaded
}
