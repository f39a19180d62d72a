package main

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/config"
	"github.com/partnerbot/partnerbot/internal/sandbox"
)

func TestHelp(t *testing.T) {
	for _, arg := range []string{"help", "-h", "-help", "--help"} {
		var stdout, stderr strings.Builder
		if code := cli([]string{arg}, &stdout, &stderr); code != 0 {
			t.Errorf("partnerbot %s exited %d, want 0", arg, code)
		}
		if stdout.String() != usage || stderr.Len() != 0 {
			t.Errorf("partnerbot %s printed %q to stdout and %q to stderr, want the usage on stdout", arg, stdout.String(), stderr.String())
		}
	}
	for _, want := range []string{"partnerbot sandbox", "partnerbot healthcheck", "partnerbot help", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "REDIS_URL", "README.md"} {
		if !strings.Contains(usage, want) {
			t.Errorf("the usage does not say %q", want)
		}
	}
}

func TestUnknownArguments(t *testing.T) {
	tests := []struct {
		args []string
		want string // on stderr
	}{
		{[]string{"--verbose"}, `unknown mode or flag "--verbose"`},
		{[]string{"serve"}, `unknown mode or flag "serve"`},
		{[]string{"Help"}, `unknown mode or flag "Help"`},
		{[]string{"healthcheck", "now"}, `healthcheck takes no arguments, got "now"`},
		{[]string{"sandbox", "--bogus"}, "usage: partnerbot sandbox"},
		{[]string{"sandbox", "extra"}, "usage: partnerbot sandbox"},
	}
	for _, tt := range tests {
		var stdout, stderr strings.Builder
		if code := cli(tt.args, &stdout, &stderr); code != 2 {
			t.Errorf("partnerbot %q exited %d, want 2", tt.args, code)
		}
		if !strings.Contains(stderr.String(), tt.want) || stdout.Len() != 0 {
			t.Errorf("partnerbot %q: stderr %q, stdout %q; want %q on stderr", tt.args, stderr.String(), stdout.String(), tt.want)
		}
		if tt.args[0] != "sandbox" && !strings.HasSuffix(stderr.String(), usage) {
			t.Errorf("partnerbot %q does not print the usage after the error:\n%s", tt.args, stderr.String())
		}
	}
}

// The variables the usage names exist, with the defaults it says.
func TestUsageNamesRealVariables(t *testing.T) {
	defaults := map[string]string{"SANDBOX_ADDR": sandbox.DefaultAddr}
	typ := reflect.TypeFor[config.Config]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		defaults[f.Tag.Get("envconfig")] = f.Tag.Get("default")
	}
	line := regexp.MustCompile(`(?m)^  ([A-Z][A-Z_]+) +(.*)$`)
	named := line.FindAllStringSubmatch(usage, -1)
	if len(named) < 5 {
		t.Fatalf("the usage names %d variables", len(named))
	}
	for _, m := range named {
		name, text := m[1], m[2]
		def, ok := defaults[name]
		switch {
		case !ok:
			t.Errorf("the usage names %s, which partnerbot does not read", name)
		case strings.Contains(text, "(required)"):
			if def != "" {
				t.Errorf("%s: the usage says required, but it defaults to %q", name, def)
			}
		default:
			_, said, found := strings.Cut(text, "(default ")
			said, _, _ = strings.Cut(said, ")")
			said, _, _ = strings.Cut(said, ": ")
			if said == "empty" {
				said = ""
			}
			if !found || said != def {
				t.Errorf("%s: the usage says the default is %q, it is %q", name, said, def)
			}
		}
	}
}
