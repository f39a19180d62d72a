package partnership

import (
	"context"
	"slices"
	"time"

	"github.com/partnerbot/partnerbot/internal/assessment"
)

// Export is everything the bot holds that a user wrote or that is about
// them, in one naming style (snake_case), each answer with its question.
type Export struct {
	UserID      string             `json:"user"`
	ExportedAt  time.Time          `json:"exported_at"`
	Pairs       []ExportPair       `json:"pairs"`
	Results     []ExportResult     `json:"results"`
	NextSteps   []ExportSteps      `json:"next_steps"`
	Wishes      []ExportWish       `json:"wishes"`
	Goals       []ExportGoal       `json:"goals"`
	Wins        []ExportWin        `json:"wins"`
	Former      []ExportFormer     `json:"former_partnerships"`
	Invitations []ExportInvitation `json:"invitations"`
	Charters    []ExportCharter    `json:"charters"`
	// CheckIns are the check-in answers in the user's pairs as the user
	// sees them: their own whole, the partner's reflection only when
	// shared (a plan change is always for the partner).
	CheckIns []ExportCheckIn `json:"check_ins"`
}

// ExportCheckIn is one member's answer to one round's progress check-in.
type ExportCheckIn struct {
	Pair       PairID    `json:"pair,omitempty"`
	By         string    `json:"by"`
	Round      time.Time `json:"round"`
	Prompt     string    `json:"reflection_prompt"`
	Reflection string    `json:"reflection,omitempty"`
	Shared     bool      `json:"shared_with_partner"`
	PlanChange string    `json:"plan_change,omitempty"`
	At         time.Time `json:"at"`
}

func exportCheckIn(r Reflection) ExportCheckIn {
	return ExportCheckIn{Pair: r.Pair, By: r.User, Round: r.Round, Prompt: r.Prompt, Reflection: r.Text, Shared: r.Shared, PlanChange: r.PlanChange, At: r.At}
}

// ExportPair is a pair as exported.
type ExportPair struct {
	ID        PairID    `json:"id"`
	Assistant string    `json:"assistant"`
	Executive string    `json:"executive"`
	Role      string    `json:"your_role"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportResult is one of the user's results, each answer with its question
// as the user was asked it.
type ExportResult struct {
	ID          string         `json:"id"`
	TakenAt     time.Time      `json:"taken_at"`
	Perspective string         `json:"perspective"`
	Pair        PairID         `json:"pair,omitempty"`
	Shared      bool           `json:"shared_with_partner"`
	Score       int            `json:"score"`
	Band        string         `json:"band"`
	Answers     []ExportAnswer `json:"answers"`
}

// ExportAnswer is one question and the user's answer to it.
type ExportAnswer struct {
	Number   int    `json:"number"`
	Question string `json:"question"`
	Answer   string `json:"answer"` // "yes" or "no"
}

// ExportSteps is one Next Steps exercise of the user's.
type ExportSteps struct {
	Pair      PairID    `json:"pair,omitempty"`
	JustRight []string  `json:"just_right"`
	DoMore    []string  `json:"do_more"`
	Wishes    []string  `json:"wishes"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExportWish is a wish the user wrote or received.
type ExportWish struct {
	ID        string            `json:"id"`
	Pair      PairID            `json:"pair,omitempty"`
	From      string            `json:"from"`
	To        string            `json:"to,omitempty"`
	Text      string            `json:"text"`
	Status    string            `json:"status"`
	Note      string            `json:"note,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	History   []ExportWishEvent `json:"history"`
}

// ExportWishEvent is one move of a wish.
type ExportWishEvent struct {
	At   time.Time `json:"at"`
	By   string    `json:"by,omitempty"`
	From string    `json:"from"`
	To   string    `json:"to"`
	Note string    `json:"note,omitempty"`
}

// ExportGoal is a goal of one of the user's roadmaps.
type ExportGoal struct {
	ID        string            `json:"id"`
	Pair      PairID            `json:"pair,omitempty"`
	Title     string            `json:"title"`
	Serves    string            `json:"serves,omitempty"`
	Stage     string            `json:"stage"`
	Owner     string            `json:"owner"`
	Target    string            `json:"target_date,omitempty"` // YYYY-MM-DD
	Status    string            `json:"status"`
	CreatedBy string            `json:"created_by,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
	From      string            `json:"made_from,omitempty"` // do_more or wish
	History   []ExportGoalEvent `json:"history"`
}

// ExportGoalEvent is one entry of a goal's history.
type ExportGoalEvent struct {
	At     time.Time `json:"at"`
	By     string    `json:"by,omitempty"`
	Change string    `json:"change"`
	From   string    `json:"from,omitempty"`
	To     string    `json:"to,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// ExportWin is a win logged in one of the user's partnerships.
type ExportWin struct {
	ID            string    `json:"id"`
	Pair          PairID    `json:"pair,omitempty"`
	By            string    `json:"by"`
	Text          string    `json:"text"`
	Goal          string    `json:"goal,omitempty"` // a goal's id; none for other
	At            time.Time `json:"at"`
	SourceChannel string    `json:"source_channel,omitempty"`
	SourceTS      string    `json:"source_ts,omitempty"`
	SourceLink    string    `json:"source_link,omitempty"`
}

// ExportFormer is a partnership that ended, as the user keeps it.
type ExportFormer struct {
	Role      string          `json:"your_role"`
	Began     time.Time       `json:"began"`
	Ended     time.Time       `json:"ended"`
	Results   []ExportResult  `json:"results"`
	NextSteps *ExportSteps    `json:"next_steps,omitempty"`
	Wishes    []ExportWish    `json:"wishes"`
	Goals     []ExportGoal    `json:"goals"`
	Wins      []ExportWin     `json:"wins"`
	CheckIns  []ExportCheckIn `json:"check_ins"`
}

// ExportInvitation is an invitation the user sent or received.
type ExportInvitation struct {
	Pair      PairID    `json:"pair"`
	Assistant string    `json:"assistant"`
	Executive string    `json:"executive"`
	From      string    `json:"from"`
	SentAt    time.Time `json:"sent_at"`
	Expires   time.Time `json:"expires"`
}

// ExportCharter is the charter of one of the user's pairs: every version
// and review. It is joint text, so both members' exports hold it whole.
type ExportCharter struct {
	Pair     PairID                 `json:"pair"`
	InForce  int                    `json:"version_in_force,omitempty"`
	Versions []ExportCharterVersion `json:"versions"`
	Reviews  []ExportCharterReview  `json:"reviews"`
}

// ExportCharterVersion is one version of a charter.
type ExportCharterVersion struct {
	Number           int                `json:"number"`
	DraftedBy        string             `json:"drafted_by"`
	DraftedAt        time.Time          `json:"drafted_at"`
	Accepted         []ExportAcceptance `json:"accepted"`
	AssistantExpects []string           `json:"assistant_expects_of_executive"`
	ExecutiveExpects []string           `json:"executive_expects_of_assistant"`
	Channel          string             `json:"channel"`
	Cadence          string             `json:"cadence"`
	Decisions        []ExportDecision   `json:"decision_rights"`
	TaskAreas        []ExportTaskArea   `json:"task_areas"`
	Goals            []string           `json:"executive_goals_for_the_quarter"`
}

// ExportAcceptance is who said yes, and when.
type ExportAcceptance struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// ExportDecision is one kind of decision and the assistant's right over it.
type ExportDecision struct {
	Kind  string `json:"kind"`
	Right string `json:"right"`
}

// ExportTaskArea is who has one of the article's task areas.
type ExportTaskArea struct {
	Area  string `json:"area"`
	Owner string `json:"owner"`
}

// ExportCharterReview is one quarter's review.
type ExportCharterReview struct {
	Version   int                `json:"version"`
	Due       time.Time          `json:"due"`
	Confirmed []ExportAcceptance `json:"confirmed"`
}

func exportAcceptances(as []Acceptance) []ExportAcceptance {
	out := []ExportAcceptance{}
	for _, a := range as {
		out = append(out, ExportAcceptance{By: a.By, At: a.At})
	}
	return out
}

func exportCharter(c Charter) ExportCharter {
	out := ExportCharter{Pair: c.Pair, Versions: []ExportCharterVersion{}, Reviews: []ExportCharterReview{}}
	if v, ok := c.InForce(); ok {
		out.InForce = v.Number
	}
	areas := assessment.TaskAreas()
	for _, v := range c.Versions {
		ev := ExportCharterVersion{Number: v.Number, DraftedBy: v.DraftedBy, DraftedAt: v.DraftedAt, Accepted: exportAcceptances(v.Accepted),
			AssistantExpects: append([]string{}, v.AssistantExpects...), ExecutiveExpects: append([]string{}, v.ExecutiveExpects...),
			Channel: v.Channel, Cadence: v.Cadence, Decisions: []ExportDecision{}, TaskAreas: []ExportTaskArea{}, Goals: []string{}}
		for _, d := range v.Decisions {
			ev.Decisions = append(ev.Decisions, ExportDecision{Kind: d.Kind, Right: string(d.Right)})
		}
		for i, o := range v.Tasks {
			ev.TaskAreas = append(ev.TaskAreas, ExportTaskArea{Area: areas[i].Name, Owner: string(o)})
		}
		for _, g := range v.Goals {
			if g != "" {
				ev.Goals = append(ev.Goals, g)
			}
		}
		out.Versions = append(out.Versions, ev)
	}
	for _, r := range c.Reviews {
		out.Reviews = append(out.Reviews, ExportCharterReview{Version: r.Version, Due: r.Due, Confirmed: exportAcceptances(r.Confirmed)})
	}
	return out
}

func exportResult(r assessment.Result) ExportResult {
	out := ExportResult{ID: r.ID, TakenAt: r.TakenAt, Perspective: string(r.Perspective), Pair: PairID(r.PairID),
		Shared: r.Shared, Score: r.Score(), Band: r.Band().Key, Answers: []ExportAnswer{}}
	for i, q := range assessment.Questions(r.Perspective) {
		a := "no"
		if r.Answers[i] {
			a = "yes"
		}
		out.Answers = append(out.Answers, ExportAnswer{Number: q.Number, Question: q.Text, Answer: a})
	}
	return out
}

func exportSteps(ns NextSteps) ExportSteps {
	return ExportSteps{Pair: ns.PairID, JustRight: ns.JustRight[:], DoMore: ns.DoMore[:], Wishes: ns.Wishes[:], UpdatedAt: ns.UpdatedAt}
}

func exportWish(w Wish) ExportWish {
	out := ExportWish{ID: w.ID, Pair: w.PairID, From: w.From, To: w.To, Text: w.Text, Status: string(w.Status), Note: w.Note,
		CreatedAt: w.CreatedAt, History: []ExportWishEvent{}}
	for _, e := range w.History {
		out.History = append(out.History, ExportWishEvent{At: e.At, By: e.By, From: string(e.From), To: string(e.To), Note: e.Note})
	}
	return out
}

func exportGoal(g Goal) ExportGoal {
	out := ExportGoal{ID: g.ID, Pair: g.PairID, Title: g.Title, Serves: g.Serves, Stage: string(g.Stage), Owner: g.Owner,
		Target: g.Target.String(), Status: string(g.Status), CreatedBy: g.CreatedBy, CreatedAt: g.CreatedAt, From: g.Source.Kind,
		History: []ExportGoalEvent{}}
	for _, e := range g.History {
		out.History = append(out.History, ExportGoalEvent{At: e.At, By: e.By, Change: string(e.Change), From: e.From, To: e.To, Note: e.Note})
	}
	return out
}

func exportWin(w Win) ExportWin {
	return ExportWin{ID: w.ID, Pair: w.PairID, By: w.By, Text: w.Text, Goal: w.GoalID, At: w.At,
		SourceChannel: w.Source.Channel, SourceTS: w.Source.TS, SourceLink: w.Source.Link}
}

// Deleted counts what DeleteUser removed.
type Deleted struct {
	Results, Lists, Wishes, Pairs, Invitations, Former int
	// Charters counts the charters that went with the pairs.
	Charters int
	// Goals counts the goals of the roadmaps that ended and of the user's
	// former partnerships; Wins the wins the user logged.
	Goals, Wins int
}

// exportLimit bounds the results exported per list.
const exportLimit = 10000

// Export gathers the user's data: their pairs, their own results (not the
// partner's answers), their lists, the wishes they wrote or received, their
// pairs' roadmaps, wins, charters and check-in answers (the partner's
// reflections only when shared), the partnerships they keep the history
// of, and their invitations.
func (s *Service) Export(ctx context.Context, user string) (Export, error) {
	out := Export{UserID: user, ExportedAt: s.clock.Now().UTC(), Pairs: []ExportPair{}, Results: []ExportResult{},
		NextSteps: []ExportSteps{}, Wishes: []ExportWish{}, Goals: []ExportGoal{}, Wins: []ExportWin{}, Former: []ExportFormer{},
		Invitations: []ExportInvitation{}, Charters: []ExportCharter{}, CheckIns: []ExportCheckIn{}}
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return Export{}, err
	}
	rs, err := s.ownResults(ctx, user, ps, exportLimit)
	if err != nil {
		return Export{}, err
	}
	for _, r := range rs {
		out.Results = append(out.Results, exportResult(r))
	}
	for _, p := range ps {
		out.Pairs = append(out.Pairs, ExportPair{ID: p.ID, Assistant: p.Assistant, Executive: p.Executive, Role: string(p.Perspective(user)), CreatedAt: p.CreatedAt})
		if ns, ok, err := s.store.NextSteps(ctx, p.ID, user); err != nil {
			return Export{}, err
		} else if ok {
			out.NextSteps = append(out.NextSteps, exportSteps(ns))
		}
		ws, err := s.store.Wishes(ctx, p.ID)
		if err != nil {
			return Export{}, err
		}
		for _, w := range ws {
			if w.From == user || w.To == user {
				out.Wishes = append(out.Wishes, exportWish(w))
			}
		}
		c, err := s.store.Charter(ctx, p.ID)
		if err != nil {
			return Export{}, err
		}
		if len(c.Versions) > 0 {
			out.Charters = append(out.Charters, exportCharter(c))
		}
		r, err := s.roadmap(ctx, p)
		if err != nil {
			return Export{}, err
		}
		for _, g := range r.Goals {
			out.Goals = append(out.Goals, exportGoal(g))
		}
		wins, err := s.store.Wins(ctx, p.ID, time.Time{})
		if err != nil {
			return Export{}, err
		}
		for _, w := range wins {
			out.Wins = append(out.Wins, exportWin(w))
		}
		refl, err := s.store.Reflections(ctx, p.ID)
		if err != nil {
			return Export{}, err
		}
		slices.SortFunc(refl, byWritten)
		for _, r := range refl {
			if p.Has(r.User) {
				out.CheckIns = append(out.CheckIns, exportCheckIn(r.Seen(user)))
			}
		}
	}
	fs, err := s.store.Formers(ctx, user)
	if err != nil {
		return Export{}, err
	}
	for _, f := range fs {
		ef := ExportFormer{Role: string(f.Role), Began: f.Began, Ended: f.Ended, Results: []ExportResult{}, Wishes: []ExportWish{},
			Goals: []ExportGoal{}, Wins: []ExportWin{}, CheckIns: []ExportCheckIn{}}
		for _, r := range f.Results {
			ef.Results = append(ef.Results, exportResult(r))
		}
		if f.HasSteps {
			st := exportSteps(f.Steps)
			ef.NextSteps = &st
		}
		for _, w := range f.Wishes {
			ef.Wishes = append(ef.Wishes, exportWish(w))
		}
		for _, g := range f.Goals {
			ef.Goals = append(ef.Goals, exportGoal(g))
		}
		for _, w := range f.Wins {
			ef.Wins = append(ef.Wins, exportWin(w))
		}
		for _, r := range f.Reflections {
			ef.CheckIns = append(ef.CheckIns, exportCheckIn(r))
		}
		out.Former = append(out.Former, ef)
	}
	invs, err := s.store.InvitationsOf(ctx, user)
	if err != nil {
		return Export{}, err
	}
	for _, inv := range invs {
		out.Invitations = append(out.Invitations, ExportInvitation{Pair: inv.Pair, Assistant: inv.Assistant, Executive: inv.Executive,
			From: inv.From, SentAt: inv.At, Expires: inv.Expires()})
	}
	return out, nil
}

// ownResults are user's results outside any pair, in each of the pairs ps
// and in their former partnerships, oldest first, the latest limit.
func (s *Service) ownResults(ctx context.Context, user string, ps []Pair, limit int) ([]assessment.Result, error) {
	out, err := s.store.Results(ctx, user, limit)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		rs, err := s.store.PairResults(ctx, p.ID, historyDepth)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.UserID == user {
				out = append(out, r)
			}
		}
	}
	fs, err := s.store.Formers(ctx, user)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		out = append(out, f.Results...)
	}
	slices.SortStableFunc(out, func(a, b assessment.Result) int { return a.TakenAt.Compare(b.TakenAt) })
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out, nil
}

// DeleteUser removes exactly the user's data, and every record that names
// them: their results, lists, wishes, goals, wins, invitations, remembered
// choices and out-of-office; their pairs end, each partner keeping their
// own history of it (as a Former, which names nobody), and the pairs'
// charters go with them (joint text, which no Former keeps). It returns
// what was removed and
// the pairs that ended, so their partners can be told.
func (s *Service) DeleteUser(ctx context.Context, user string) (Deleted, []Pair, error) {
	ex, err := s.Export(ctx, user)
	if err != nil {
		return Deleted{}, nil, err
	}
	d := Deleted{Results: len(ex.Results), Lists: len(ex.NextSteps), Former: len(ex.Former), Goals: len(ex.Goals), Charters: len(ex.Charters)}
	for _, w := range ex.Wishes {
		if w.From == user {
			d.Wishes++
		}
	}
	for _, w := range ex.Wins {
		if w.By == user {
			d.Wins++
		}
	}
	for _, f := range ex.Former {
		if f.NextSteps != nil {
			d.Lists++
		}
		d.Wishes += len(f.Wishes)
		d.Goals += len(f.Goals)
		d.Wins += len(f.Wins)
	}
	invs, err := s.store.InvitationsOf(ctx, user)
	if err != nil {
		return Deleted{}, nil, err
	}
	for _, inv := range invs {
		if err := s.store.DeleteInvitation(ctx, inv); err != nil {
			return Deleted{}, nil, err
		}
		d.Invitations++
	}
	ps, err := s.store.PairsOf(ctx, user)
	if err != nil {
		return Deleted{}, nil, err
	}
	for _, p := range ps {
		partner, _ := p.Partner(user)
		if err := s.endPair(ctx, p, partner); err != nil {
			return Deleted{}, nil, err
		}
		d.Pairs++
	}
	if err := s.store.DeleteUser(ctx, user); err != nil {
		return Deleted{}, nil, err
	}
	return d, ps, nil
}
