package schedule

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		text string
		want string // normalised String()
	}{
		{"0 9 * * MON", "0 9 * * MON"},
		{"  0   9 *\t*  MON ", "0 9 * * MON"},
		{DefaultSpec, DefaultSpec},
		{"30 2 * * SUN", "30 2 * * SUN"},
		{"0 9-17 * * MON-FRI", "0 9-17 * * MON-FRI"},
		{"0,30 9 * * 1,3,5", "0,30 9 * * 1,3,5"},
		{"*/15 * * * *", "*/15 * * * *"},
		{"0 9 1 JAN,JUL *", "0 9 1 JAN,JUL *"},
		{"0 9 ? * SUN", "0 9 ? * SUN"},
		{"0 9 29 2 *", "0 9 29 2 *"},
		{"@weekly", "@weekly"},
		{"@daily", "@daily"},
		{"@midnight", "@midnight"},
		{"@hourly", "@hourly"},
		{"@monthly", "@monthly"},
		{"@yearly", "@yearly"},
		{"@annually", "@annually"},
		{"@every 2h", "@every 2h"},
		{" @every   1h30m ", "@every 1h30m"},
		{"@every 1s", "@every 1s"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			s, err := Parse(tt.text)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v, want nil", tt.text, err)
			}
			if got := s.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.text, got, tt.want)
			}
			if s.IsZero() {
				t.Errorf("Parse(%q).IsZero() = true, want false", tt.text)
			}
			again, err := Parse(s.String())
			if err != nil || again.String() != s.String() {
				t.Errorf("Parse(%q) = %q, %v; want it to round-trip", s.String(), again.String(), err)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, text string
		wantErr    string // substring a user can read
	}{
		{"empty", "", `expected 5 fields like "0 9 * * MON"`},
		{"blank", "  \t ", "schedule is empty"},
		{"four fields", "0 9 * *", `has 4 fields: expected 5 fields like "0 9 * * MON"`},
		{"seconds", "0 0 9 * * MON", "seconds are not supported"},
		{"seven fields", "0 0 9 * * MON 2026", "has 7 fields"},
		{"CRON_TZ prefix", "CRON_TZ=Europe/Berlin 0 9 * * MON", "time zone prefix is not allowed"},
		{"TZ prefix", "TZ=UTC 0 9 * * MON", "time zone prefix is not allowed"},
		{"garbage word", "hello", "has 1 fields"},
		{"garbage fields", "a b c d e", `the fields are minute, hour, day of month, month, day of week, like "0 9 * * MON"`},
		{"minute out of range", "60 9 * * *", "above maximum"},
		{"hour out of range", "0 24 * * *", "above maximum"},
		{"bad weekday name", "0 9 * * FUNDAY", "failed to parse"},
		{"weekday 7", "0 9 * * 7", "above maximum"}, // robfig: Sunday is 0 only
		{"zero step", "*/0 * * * *", "step"},
		{"every 0s", "@every 0s", "positive interval"},
		{"every negative", "@every -2h", "positive interval"},
		{"every sub-second", "@every 500ms", "positive interval"},
		{"every fractional seconds", "@every 1.5s", "whole seconds"},
		{"every without interval", "@every", "needs an interval"},
		{"every garbage", "@every soon", "needs an interval"},
		{"unknown descriptor", "@fortnightly", "use @yearly"},
		{"never fires", "0 0 30 2 *", "never fires"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.text)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, nil; want an error", tt.text, s.String())
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.text, err, tt.wantErr)
			}
			if !s.IsZero() {
				t.Errorf("Parse(%q) returned a non-zero Spec with its error", tt.text)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, seed := range []string{DefaultSpec, "@every 2h", "*/5 1-3,7 ? JAN-MAR 1-5/2", "TZ=x y", "@every -1s", "0 0 31 2 *", "- - - - -", "1-/ * * * *"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text)
		if err != nil {
			return
		}
		again, err := Parse(s.String())
		if err != nil {
			t.Fatalf("Parse(%q) ok but Parse(String() = %q) error = %v", text, s.String(), err)
		}
		if again.String() != s.String() {
			t.Fatalf("String() not stable: %q then %q", s.String(), again.String())
		}
		if s.MinGap(nil) <= 0 {
			t.Fatalf("Parse(%q).MinGap(nil) = %v, want > 0", text, s.MinGap(nil))
		}
	})
}
