package bot

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/partnerbot/partnerbot/internal/partnership"
)

// Fuzz targets for the text users type (go test -fuzz=FuzzParseCommand
// ./internal/bot); the seeds run as ordinary tests.

func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"", "  ", "history", "HELP me", "pair <@U123|ada>", "schedule 0 9 * * MON",
		"away 2026-12-24", "مرحبا 👋", "\u00a0pair\u2003x", "İSTANBUL", strings.Repeat("x ", 2000), "a\x00b\tc\nd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sub, args := parseCommand(text)
		fields := strings.Fields(text)
		if len(fields) == 0 {
			if sub != "" || args != nil {
				t.Fatalf("parseCommand(%q) = %q, %q; want nothing", text, sub, args)
			}
			return
		}
		if sub != strings.ToLower(fields[0]) || len(args) != len(fields)-1 {
			t.Fatalf("parseCommand(%q) = %q, %q; fields %q", text, sub, args, fields)
		}
		for i, a := range args {
			if a != fields[i+1] || a == "" || strings.ContainsFunc(a, isSpace) {
				t.Fatalf("parseCommand(%q): arg %d = %q", text, i, a)
			}
		}
		if utf8.ValidString(text) && !utf8.ValidString(sub) {
			t.Fatalf("parseCommand(%q): sub-command %q is not UTF-8", text, sub)
		}
		// The words re-joined parse to the same command (lower-casing is
		// idempotent, arguments are kept as typed).
		sub2, args2 := parseCommand(strings.Join(append([]string{sub}, args...), " "))
		if sub2 != sub || strings.Join(args2, "\x00") != strings.Join(args, "\x00") {
			t.Fatalf("parseCommand(%q) = %q %q, but its re-join parses to %q %q", text, sub, args, sub2, args2)
		}
	})
}

func isSpace(r rune) bool { return strings.TrimSpace(string(r)) == "" }

func FuzzParseMention(f *testing.F) {
	for _, s := range []string{"<@U123>", "<@U123|ada>", "<@W0ABC|>", "<@u123>", "<@U1-U2>", "<@>", "<@U123", "@U123>",
		"<@U123|<@U456>>", "<@" + strings.Repeat("A", 30) + ">", "<@U1|name|more>", "<@U\u00c9>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := parseMention(s)
		if !ok {
			return
		}
		// An accepted mention names a Slack user ID and nothing else.
		if _, _, _, err := partnership.ParsePairID(id + "-" + id); err != nil || len(id) > 24 {
			t.Fatalf("parseMention(%q) = %q: not a user ID", s, id)
		}
		if s != "<@"+id+">" && !strings.HasPrefix(s, "<@"+id+"|") {
			t.Fatalf("parseMention(%q) = %q: not the mention's ID", s, id)
		}
		for _, again := range []string{"<@" + id + ">", "<@" + id + "|someone>"} {
			if got, ok := parseMention(again); !ok || got != id {
				t.Fatalf("parseMention(%q) = %q, %v; want %q", again, got, ok, id)
			}
		}
	})
}
