package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The manifests of deploy/ are checked for shape here and then run: the
// commands they give spotsim are executed against a small sweep, and the
// merged outputs must equal the sweep run in one piece.

// yamlLine is one meaningful line of a YAML document.
type yamlLine struct {
	n      int // 1-based line number
	indent int
	text   string
}

// parseYAML parses the block-style subset of YAML that Kubernetes
// manifests use (maps, lists, plain and quoted scalars, flow lists of
// scalars, comments, several documents separated by ---) into maps, slices
// and strings. Anchors, block scalars, flow maps and tabs are errors.
func parseYAML(src string) ([]any, error) {
	var docs [][]yamlLine
	var cur []yamlLine
	for i, raw := range strings.Split(src, "\n") {
		if strings.Contains(raw, "\t") {
			return nil, fmt.Errorf("line %d: a tab", i+1)
		}
		text := strings.TrimRight(stripComment(raw), " ")
		if strings.TrimSpace(text) == "" {
			continue
		}
		if text == "---" {
			docs, cur = append(docs, cur), nil
			continue
		}
		indent := len(text) - len(strings.TrimLeft(text, " "))
		cur = append(cur, yamlLine{i + 1, indent, text[indent:]})
	}
	docs = append(docs, cur)
	var out []any
	for _, d := range docs {
		if len(d) == 0 {
			continue
		}
		p := &yamlParser{lines: d}
		v, err := p.block(d[0].indent)
		if err != nil {
			return nil, err
		}
		if p.i < len(p.lines) {
			return nil, fmt.Errorf("line %d: unexpected indentation", p.lines[p.i].n)
		}
		out = append(out, v)
	}
	return out, nil
}

// stripComment drops a # comment (at the start or after a space, outside
// quotes).
func stripComment(s string) string {
	var q byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '#' && (i == 0 || s[i-1] == ' '):
			return s[:i]
		}
	}
	return s
}

type yamlParser struct {
	lines []yamlLine
	i     int
}

func isItem(s string) bool { return s == "-" || strings.HasPrefix(s, "- ") }

func (p *yamlParser) block(indent int) (any, error) {
	if isItem(p.lines[p.i].text) {
		return p.list(indent)
	}
	return p.mapping(indent)
}

// splitKey splits "key: value" (value may be empty); ok is false for a
// scalar.
func splitKey(s string) (key, value string, ok bool) {
	if s == "" || s[0] == '"' || s[0] == '\'' || s[0] == '[' {
		return "", "", false
	}
	if k, v, found := strings.Cut(s, ": "); found {
		return k, strings.TrimSpace(v), true
	}
	if strings.HasSuffix(s, ":") {
		return s[:len(s)-1], "", true
	}
	return "", "", false
}

func (p *yamlParser) mapping(indent int) (any, error) {
	m := map[string]any{}
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent < indent {
			break
		}
		if l.indent > indent || isItem(l.text) {
			return nil, fmt.Errorf("line %d: unexpected indentation", l.n)
		}
		k, v, ok := splitKey(l.text)
		if !ok {
			return nil, fmt.Errorf("line %d: want key: value, got %q", l.n, l.text)
		}
		if _, dup := m[k]; dup {
			return nil, fmt.Errorf("line %d: key %q twice", l.n, k)
		}
		p.i++
		if v != "" {
			s, err := yamlScalar(v, l.n)
			if err != nil {
				return nil, err
			}
			m[k] = s
			continue
		}
		m[k] = nil
		if p.i < len(p.lines) {
			next := p.lines[p.i]
			switch {
			case next.indent > indent:
				val, err := p.block(next.indent)
				if err != nil {
					return nil, err
				}
				m[k] = val
			case next.indent == indent && isItem(next.text): // a list at the key's indentation
				val, err := p.list(indent)
				if err != nil {
					return nil, err
				}
				m[k] = val
			}
		}
	}
	return m, nil
}

func (p *yamlParser) list(indent int) (any, error) {
	var out []any
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.indent != indent || !isItem(l.text) {
			if l.indent > indent {
				return nil, fmt.Errorf("line %d: unexpected indentation", l.n)
			}
			break
		}
		rest := strings.TrimSpace(strings.TrimPrefix(l.text, "-"))
		switch {
		case rest == "":
			p.i++
			if p.i >= len(p.lines) || p.lines[p.i].indent <= indent {
				out = append(out, nil)
				continue
			}
			v, err := p.block(p.lines[p.i].indent)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		default:
			if _, _, ok := splitKey(rest); ok || isItem(rest) { // "- key: v": a map (or list) at the item's content
				at := indent + len(l.text) - len(rest)
				p.lines[p.i] = yamlLine{l.n, at, rest}
				v, err := p.block(at)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
				continue
			}
			s, err := yamlScalar(rest, l.n)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			p.i++
		}
	}
	return out, nil
}

// yamlScalar reads a scalar or a flow list of scalars.
func yamlScalar(s string, line int) (any, error) {
	switch {
	case strings.HasPrefix(s, "["):
		if !strings.HasSuffix(s, "]") {
			return nil, fmt.Errorf("line %d: unclosed flow list %s", line, s)
		}
		var out []any
		body := strings.TrimSpace(s[1 : len(s)-1])
		if body == "" {
			return []any{}, nil
		}
		for _, part := range splitFlow(body) {
			v, err := yamlScalar(strings.TrimSpace(part), line)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case strings.HasPrefix(s, `"`):
		v, err := strconv.Unquote(s)
		if err != nil {
			return nil, fmt.Errorf("line %d: bad double-quoted string %s", line, s)
		}
		return v, nil
	case strings.HasPrefix(s, "'"):
		if len(s) < 2 || !strings.HasSuffix(s, "'") {
			return nil, fmt.Errorf("line %d: bad single-quoted string %s", line, s)
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'"), nil
	case strings.ContainsAny(s[:1], "{&*|>!%@`"):
		return nil, fmt.Errorf("line %d: %s: not in the YAML subset of these manifests", line, s)
	}
	return s, nil
}

func splitFlow(s string) []string {
	var out []string
	var q byte
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case q != 0:
			if c == '\\' && q == '"' {
				i++
			} else if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == ',':
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestParseYAML(t *testing.T) {
	docs, err := parseYAML("a: 1 # one\nb:\n  c: \"x y\"\n  d: [1, \"2, 3\"]\nl:\n- k: v\n  m: w\n- plain\n---\n- x\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []any{map[string]any{"a": "1", "b": map[string]any{"c": "x y", "d": []any{"1", "2, 3"}},
		"l": []any{map[string]any{"k": "v", "m": "w"}, "plain"}}, []any{"x"}}
	if fmt.Sprint(docs) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", docs, want)
	}
	for _, bad := range []string{"a: 1\n  b: 2\n", "a:\n\tb: 1\n", "a: 1\na: 2\n", "just text\n", "a: [1, 2\n", "a: &x 1\n"} {
		if _, err := parseYAML(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// at walks a parsed document by keys and list indices.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, k := range path {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not a map at %q", path, k)
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no key %q", path, k)
			}
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("%v: no item %d", path, k)
			}
			v = l[k]
		}
	}
	return v
}

func str(t *testing.T, v any, path ...any) string {
	t.Helper()
	s, ok := at(t, v, path...).(string)
	if !ok {
		t.Fatalf("%v: not a string", path)
	}
	return s
}

func readYAML(t *testing.T, name string) any {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "kubernetes", name))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := parseYAML(string(src))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(docs) != 1 {
		t.Fatalf("%s: %d documents, want 1", name, len(docs))
	}
	return docs[0]
}

// checkPod checks a Job's pod template: restartPolicy Never, one container
// named spotsim whose volume mounts are volumes of the pod, the output
// volume the claim of pvc.yaml; it returns the container's args and where
// each volume is mounted.
func checkPod(t *testing.T, job any, claim string) ([]string, map[string]string) {
	t.Helper()
	if str(t, job, "apiVersion") != "batch/v1" || str(t, job, "kind") != "Job" {
		t.Fatalf("not a batch/v1 Job")
	}
	pod := at(t, job, "spec", "template", "spec")
	if str(t, pod, "restartPolicy") != "Never" {
		t.Error("restartPolicy must be Never (a failed pod is replaced, and podFailurePolicy needs it)")
	}
	c := at(t, pod, "containers", 0)
	if str(t, c, "name") != "spotsim" || str(t, c, "image") == "" {
		t.Error("the container must be named spotsim and have an image")
	}
	vols := map[string]any{}
	for _, v := range at(t, pod, "volumes").([]any) {
		vols[str(t, v, "name")] = v
	}
	mounts := map[string]string{}
	for _, m := range at(t, c, "volumeMounts").([]any) {
		name := str(t, m, "name")
		v, ok := vols[name]
		if !ok {
			t.Errorf("volume mount %q: no such volume", name)
			continue
		}
		if vm, _ := v.(map[string]any); vm["persistentVolumeClaim"] != nil && str(t, v, "persistentVolumeClaim", "claimName") != claim {
			t.Errorf("volume %q claims %q, not pvc.yaml's %q", name, str(t, v, "persistentVolumeClaim", "claimName"), claim)
		}
		mounts[str(t, m, "mountPath")] = name
	}
	var args []string
	for _, a := range at(t, c, "args").([]any) {
		args = append(args, a.(string))
	}
	return args, mounts
}

// TestKubernetesManifests: the PVC is ReadWriteMany; the sweep is an
// Indexed Job whose pod I runs --shard I/N with N = completions, fails the
// Job on exit status 2 and ignores disruptions; the merge Job reads the
// same volume. Then the args of both, expanded as the kubelet does and
// with the mounts mapped to folders, are run: the merged outputs equal the
// sweep run in one piece.
func TestKubernetesManifests(t *testing.T) {
	pvc := readYAML(t, "pvc.yaml")
	if str(t, pvc, "kind") != "PersistentVolumeClaim" || fmt.Sprint(at(t, pvc, "spec", "accessModes")) != "[ReadWriteMany]" {
		t.Error("pvc.yaml: want a ReadWriteMany PersistentVolumeClaim: pods on several nodes write to it at once")
	}
	claim := str(t, pvc, "metadata", "name")

	sweep := readYAML(t, "sweep-job.yaml")
	spec := at(t, sweep, "spec")
	if str(t, spec, "completionMode") != "Indexed" {
		t.Error("sweep-job.yaml: completionMode must be Indexed")
	}
	n, err := strconv.Atoi(str(t, spec, "completions"))
	if err != nil || n < 1 {
		t.Fatalf("sweep-job.yaml: completions %v", at(t, spec, "completions"))
	}
	rules := at(t, spec, "podFailurePolicy", "rules").([]any)
	if str(t, rules[0], "action") != "FailJob" || fmt.Sprint(at(t, rules[0], "onExitCodes", "values")) != "[2]" ||
		str(t, rules[0], "onExitCodes", "containerName") != "spotsim" || str(t, rules[1], "action") != "Ignore" ||
		str(t, rules[1], "onPodConditions", 0, "type") != "DisruptionTarget" {
		t.Error("sweep-job.yaml: podFailurePolicy should fail the Job on exit 2 and ignore disruptions")
	}
	args, mounts := checkPod(t, sweep, claim)
	env := map[string]string{}
	for _, e := range at(t, spec, "template", "spec", "containers", 0, "env").([]any) {
		env[str(t, e, "name")] = str(t, e, "value")
	}
	if env["SHARDS"] != strconv.Itoa(n) {
		t.Errorf("sweep-job.yaml: SHARDS=%q but completions %d", env["SHARDS"], n)
	}
	if !strings.Contains(strings.Join(args, " "), "--shard $(JOB_COMPLETION_INDEX)/$(SHARDS)") {
		t.Errorf("sweep-job.yaml: args %q do not pass the completion index as --shard", args)
	}
	merge := readYAML(t, "merge-job.yaml")
	margs, mmounts := checkPod(t, merge, claim)
	if len(margs) == 0 || margs[0] != "merge" {
		t.Errorf("merge-job.yaml: args %q do not merge", margs)
	}

	// run them: /scenario holds the ConfigMap's scenario.toml, /out is the volume
	root := t.TempDir()
	scenarioFile := sweepFile(t, smallSweep)
	src, _ := os.ReadFile(scenarioFile)
	dirs := map[string]string{}
	for path, vol := range mounts {
		dirs[path] = filepath.Join(root, vol)
		os.MkdirAll(dirs[path], 0o755)
		if vol == "scenario" {
			os.WriteFile(filepath.Join(dirs[path], "scenario.toml"), src, 0o644)
		}
	}
	for path, vol := range mmounts {
		if d, ok := dirs[path]; !ok || filepath.Base(d) != vol {
			t.Fatalf("merge-job.yaml mounts %s as %q, unlike the sweep", path, vol)
		}
	}
	expand := func(args []string, index int) []string {
		var out []string
		for _, a := range args {
			a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(index))
			for k, v := range env {
				a = strings.ReplaceAll(a, "$("+k+")", v)
			}
			for path, d := range dirs {
				if a == path || strings.HasPrefix(a, path+"/") {
					a = d + a[len(path):]
				}
			}
			out = append(out, a)
		}
		return out
	}
	for i := 0; i < n; i++ {
		if code, _, stderr := cli(t, expand(args, i)...); code != 0 {
			t.Fatalf("pod %d: spotsim %q: exit %d: %s", i, expand(args, i), code, stderr)
		}
	}
	if code, _, stderr := cli(t, expand(margs, 0)...); code != 0 {
		t.Fatalf("merge: spotsim %q: exit %d: %s", expand(margs, 0), code, stderr)
	}
	whole := t.TempDir()
	if code, _, stderr := cli(t, "sweep", scenarioFile, "--out", whole); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sameOutputs(t, "Kubernetes", whole, dirs["/out"])
}

// TestAzureBatchManifests: pool.json, job.json and tasks.json are valid
// JSON of the right shape, tasks.json is make-tasks.sh's output for its N,
// task I runs shard I/N and the merge depends on every shard task. Then
// each task's commandLine is run by sh, as a Batch node runs it, with
// AZ_BATCH_NODE_MOUNTS_DIR set and bin/spotsim a stand-in for the binary
// (this test binary): the merged outputs equal the sweep run in one piece.
func TestAzureBatchManifests(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "deploy", "azure-batch")
	read := func(name string, v any) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(v); err != nil || dec.More() {
			t.Fatalf("%s: not one JSON value: %v", name, err)
		}
	}
	var pool struct {
		ID    string `json:"id"`
		Mount []struct {
			Share *struct {
				RelativeMountPath string `json:"relativeMountPath"`
			} `json:"azureFileShareConfiguration"`
		} `json:"mountConfiguration"`
	}
	read("pool.json", &pool)
	if len(pool.Mount) != 1 || pool.Mount[0].Share == nil || pool.Mount[0].Share.RelativeMountPath != "spotsim" {
		t.Errorf("pool.json: want one Azure Files share mounted at $AZ_BATCH_NODE_MOUNTS_DIR/spotsim")
	}
	var job struct {
		ID       string `json:"id"`
		PoolInfo struct {
			PoolID string `json:"poolId"`
		} `json:"poolInfo"`
		Dependencies bool   `json:"usesTaskDependencies"`
		OnAll        string `json:"onAllTasksComplete"`
	}
	read("job.json", &job)
	if job.ID == "" || job.PoolInfo.PoolID != pool.ID || !job.Dependencies || job.OnAll != "" {
		t.Errorf("job.json: want an id, pool %q, usesTaskDependencies, and no onAllTasksComplete (set once the tasks are in): %+v", pool.ID, job)
	}
	type task struct {
		ID          string `json:"id"`
		CommandLine string `json:"commandLine"`
		DependsOn   *struct {
			Ranges []struct{ Start, End int } `json:"taskIdRanges"`
		} `json:"dependsOn"`
	}
	var tasks []task
	read("tasks.json", &tasks)
	n := len(tasks) - 1
	if n < 1 {
		t.Fatalf("tasks.json: %d tasks", len(tasks))
	}
	for i, tk := range tasks[:n] {
		if tk.ID != strconv.Itoa(i) || !strings.Contains(tk.CommandLine, " sweep ") ||
			!strings.Contains(tk.CommandLine, fmt.Sprintf("--shard %d/%d ", i, n)) || tk.DependsOn != nil {
			t.Errorf("tasks.json: task %d: %+v", i, tk)
		}
	}
	m := tasks[n]
	if m.ID != "merge" || !strings.Contains(m.CommandLine, " merge ") || m.DependsOn == nil ||
		len(m.DependsOn.Ranges) != 1 || m.DependsOn.Ranges[0].Start != 0 || m.DependsOn.Ranges[0].End != n-1 {
		t.Errorf("tasks.json: the merge task must depend on tasks 0 to %d: %+v", n-1, m)
	}

	if runtime.GOOS == "windows" {
		t.Skip("the tasks' command lines are POSIX shell")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to run the tasks' command lines")
	}
	gen, err := exec.Command(sh, filepath.Join(dir, "make-tasks.sh"), strconv.Itoa(n)).Output()
	if err != nil {
		t.Fatalf("make-tasks.sh %d: %v", n, err)
	}
	if want, _ := os.ReadFile(filepath.Join(dir, "tasks.json")); !bytes.Equal(gen, want) {
		t.Errorf("tasks.json is not make-tasks.sh %d's output", n)
	}

	mounts := t.TempDir()
	share := filepath.Join(mounts, "spotsim")
	os.MkdirAll(filepath.Join(share, "bin"), 0o755)
	scenarioFile := sweepFile(t, smallSweep)
	src, _ := os.ReadFile(scenarioFile)
	os.WriteFile(filepath.Join(share, "scenario.toml"), src, 0o644)
	stub := "#!/bin/sh\nSPOTSIM_HELPER=1 exec '" + os.Args[0] + "' -test.run='^TestHelperSpotsim$' -- \"$@\"\n"
	if err := os.WriteFile(filepath.Join(share, "bin", "spotsim"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tk := range tasks { // in order: the shards, then the merge that depends on them
		cmd := exec.Command(sh, "-c", tk.CommandLine)
		cmd.Env = append(os.Environ(), "AZ_BATCH_NODE_MOUNTS_DIR="+mounts)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("task %s: %v: %s", tk.ID, err, out)
		}
	}
	whole := t.TempDir()
	if code, _, stderr := cli(t, "sweep", scenarioFile, "--out", whole); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	sameOutputs(t, "Azure Batch", whole, filepath.Join(share, "out"))
}
