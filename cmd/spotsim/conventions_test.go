package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/spotsim/spotsim/scenarios"
)

// cliIn is cli with standard input.
func cliIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(&env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}, {"version"}} {
		code, out, stderr := cli(t, args...)
		if code != 0 || !strings.HasPrefix(out, "spotsim ") || !strings.Contains(out, "go1.") || stderr != "" {
			t.Errorf("spotsim %v: exit %d, stdout %q, stderr %q", args, code, out, stderr)
		}
	}
}

// TestHelpOrder: the commands a newcomer needs come first, run then sweep.
func TestHelpOrder(t *testing.T) {
	_, out, _ := cli(t, "--help")
	var got []string
	for _, m := range regexp.MustCompile(`(?m)^  spotsim ([a-z]+)`).FindAllStringSubmatch(out, -1) {
		got = append(got, m[1])
	}
	if len(got) < 5 || got[0] != "run" || got[1] != "sweep" || got[2] != "validate" {
		t.Errorf("commands in help: %v, want run, sweep, validate first", got)
	}
	if len(got) != len(commands) {
		t.Errorf("help lists %d commands, %d registered", len(got), len(commands))
	}
}

// TestFlagHelp: a command's help lists its flags as typed, with their types.
func TestFlagHelp(t *testing.T) {
	_, out, _ := cli(t, "run", "--help")
	for _, want := range []string{"--workers int", "--set PATH=VALUE", "--reps N", "--out DIR", "--format string"} {
		if !strings.Contains(out, "  "+want+" ") {
			t.Errorf("run --help lacks %q:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`(?m)^  -[a-z]`).MatchString(out) {
		t.Errorf("run --help lists a flag with one dash:\n%s", out)
	}
}

// TestValidateStdin: validate - reads the scenario from standard input,
// and an error in it names <stdin> and the line.
func TestValidateStdin(t *testing.T) {
	src, _ := scenarios.BuiltinSource("default")
	code, out, stderr := cliIn(t, src, "validate", "-")
	if code != 0 || !strings.HasPrefix(out, "-: ok:") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	code, _, stderr = cliIn(t, strings.Replace(src, "tasks = 5000", "tasks = -5", 1), "validate", "-")
	if code != 2 || !regexp.MustCompile(`^<stdin>:\d+:\d+: jobs\.render\.tasks: `).MatchString(stderr) {
		t.Errorf("bad stdin: exit %d, stderr %q", code, stderr)
	}
}

// TestInit: init prints a built-in with a header, and the result validates
// as a file.
func TestInit(t *testing.T) {
	code, out, _ := cli(t, "init", "dynamic-mix")
	if code != 0 || !strings.HasPrefix(out, "# A spotsim scenario, started from the built-in \"dynamic-mix\"") {
		t.Fatalf("exit %d: %q", code, out[:min(len(out), 200)])
	}
	if code, _, stderr := cliIn(t, out, "validate", "-"); code != 0 {
		t.Errorf("init's output does not validate: %s", stderr)
	}
	if code, _, stderr := cli(t, "init", "no-such"); code != 2 || !strings.Contains(stderr, "built-ins: ") {
		t.Errorf("init no-such: exit %d, %q", code, stderr)
	}
}

// TestCompletion: every shell gets a script naming every command; the bash
// one, run by bash, completes commands, sub-commands, flags, flag values
// and built-in scenarios.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		code, out, stderr := cli(t, "completion", sh)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", sh, code, stderr)
		}
		for _, c := range commands {
			if !strings.Contains(out, c.name) {
				t.Errorf("%s script lacks the command %s", sh, c.name)
			}
		}
	}
	if code, _, _ := cli(t, "completion", "tcsh"); code != 2 {
		t.Errorf("completion tcsh: exit %d, want 2", code)
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found: the bash script is not run")
	}
	_, script, _ := cli(t, "completion", "bash")
	for _, tt := range []struct{ words, want string }{
		{"spotsim sw", "sweep"},
		{"spotsim run --for", "--format"},
		{"spotsim run --format c", "csv"},
		{"spotsim formula e", "eval"},
		{"spotsim completion f", "fish"},
		{"spotsim run dynamic-m", "dynamic-mix"},
	} {
		words := strings.Fields(tt.words)
		cmd := exec.Command(bash, "-c", script+`
COMP_WORDS=(`+strings.Join(words, " ")+`); COMP_CWORD=`+string(rune('0'+len(words)-1))+`; _spotsim; echo "${COMPREPLY[@]}"`)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%q: %v", tt.words, err)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("completing %q: %q, want %q", tt.words, got, tt.want)
		}
	}
}
