// Package deploy_test checks the deployment files against each other and
// against the code: every YAML file under deploy/ parses, the Kubernetes
// manifests and the compose file wire the bot the way its configuration
// expects, and the Dockerfile and .env.example agree with them.
package deploy_test

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/partnerbot/partnerbot/internal/config"
	"go.yaml.in/yaml/v3"
)

// doc is one YAML document of a file under deploy/.
type doc struct {
	file string
	node *yaml.Node
	head struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   meta   `yaml:"metadata"`
	}
}

func (d doc) String() string { return d.file + ": " + d.head.Kind + " " + d.head.Metadata.Name }

// loadDocs parses every *.yaml and *.yml file under deploy/, every
// document of each.
func loadDocs(t *testing.T) []doc {
	t.Helper()
	var docs []doc
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(path) != ".yaml" && filepath.Ext(path) != ".yml") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := yaml.NewDecoder(f)
		n := 0
		for {
			var node yaml.Node
			err := dec.Decode(&node)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("%s, document %d: %v", path, n+1, err)
				break
			}
			n++
			d := doc{file: path, node: &node}
			if err := node.Decode(&d.head); err != nil {
				t.Errorf("%s, document %d: not a mapping: %v", path, n, err)
				continue
			}
			docs = append(docs, d)
		}
		if n == 0 {
			t.Errorf("%s holds no YAML document", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// only returns the single document of kind, decoded into v.
func only(t *testing.T, docs []doc, kind string, v any) doc {
	t.Helper()
	var found []doc
	for _, d := range docs {
		if d.head.Kind == kind && d.head.APIVersion != "" {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d documents of kind %s under deploy/, want 1: %v", len(found), kind, found)
	}
	if err := found[0].node.Decode(v); err != nil {
		t.Fatalf("%s: %v", found[0], err)
	}
	return found[0]
}

// The Kubernetes shapes the tests read; yaml.v3 needs every camelCase name.
type (
	meta struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	}
	// intOrString is a port given as a number or as a port name.
	intOrString string
	envVar      struct {
		Name      string `yaml:"name"`
		Value     string `yaml:"value"`
		ValueFrom *struct {
			SecretKeyRef *struct {
				Name string `yaml:"name"`
				Key  string `yaml:"key"`
			} `yaml:"secretKeyRef"`
		} `yaml:"valueFrom"`
	}
	probe struct {
		HTTPGet *struct {
			Path string      `yaml:"path"`
			Port intOrString `yaml:"port"`
		} `yaml:"httpGet"`
	}
	securityContext struct {
		RunAsNonRoot             *bool  `yaml:"runAsNonRoot"`
		RunAsUser                *int64 `yaml:"runAsUser"`
		AllowPrivilegeEscalation *bool  `yaml:"allowPrivilegeEscalation"`
		ReadOnlyRootFilesystem   *bool  `yaml:"readOnlyRootFilesystem"`
		Capabilities             struct {
			Drop []string `yaml:"drop"`
		} `yaml:"capabilities"`
	}
	container struct {
		Name    string   `yaml:"name"`
		Image   string   `yaml:"image"`
		Command []string `yaml:"command"`
		Args    []string `yaml:"args"`
		Env     []envVar `yaml:"env"`
		Ports   []struct {
			Name          string `yaml:"name"`
			ContainerPort int    `yaml:"containerPort"`
		} `yaml:"ports"`
		LivenessProbe  *probe `yaml:"livenessProbe"`
		ReadinessProbe *probe `yaml:"readinessProbe"`
		Resources      struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
		SecurityContext *securityContext `yaml:"securityContext"`
		VolumeMounts    []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	}
	// workload is a Deployment or a StatefulSet.
	workload struct {
		Metadata meta `yaml:"metadata"`
		Spec     struct {
			Replicas *int `yaml:"replicas"`
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
			ServiceName string `yaml:"serviceName"`
			Template    struct {
				Metadata meta `yaml:"metadata"`
				Spec     struct {
					SecurityContext *securityContext `yaml:"securityContext"`
					Containers      []container      `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
			VolumeClaimTemplates []struct {
				Metadata meta `yaml:"metadata"`
			} `yaml:"volumeClaimTemplates"`
		} `yaml:"spec"`
	}
	podDisruptionBudget struct {
		Metadata meta `yaml:"metadata"`
		Spec     struct {
			MinAvailable   *intOrString `yaml:"minAvailable"`
			MaxUnavailable *intOrString `yaml:"maxUnavailable"`
			Selector       struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
		} `yaml:"spec"`
	}
	secret struct {
		Metadata   meta              `yaml:"metadata"`
		Data       map[string]string `yaml:"data"`
		StringData map[string]string `yaml:"stringData"`
	}
	service struct {
		Metadata meta `yaml:"metadata"`
		Spec     struct {
			Selector map[string]string `yaml:"selector"`
			Ports    []struct {
				Port       int         `yaml:"port"`
				TargetPort intOrString `yaml:"targetPort"`
			} `yaml:"ports"`
		} `yaml:"spec"`
	}
)

func (s *intOrString) UnmarshalYAML(n *yaml.Node) error {
	*s = intOrString(n.Value)
	return nil
}

// containerPort resolves p (a number or a port name) against c's ports; 0
// when it names no port of c.
func (c container) containerPort(p intOrString) int {
	if n, err := strconv.Atoi(string(p)); err == nil {
		return n
	}
	for _, cp := range c.Ports {
		if cp.Name == string(p) {
			return cp.ContainerPort
		}
	}
	return 0
}

func (c container) env(name string) (envVar, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e, true
		}
	}
	return envVar{}, false
}

// replicas is w's replica count; Kubernetes defaults a missing one to 1.
func replicas(w workload) int {
	if w.Spec.Replicas == nil {
		return 1
	}
	return *w.Spec.Replicas
}

// subset reports whether every label of sel is in labels.
func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return len(sel) > 0
}

// configVars is every variable of config.Config with its default.
func configVars(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{}
	typ := reflect.TypeFor[config.Config]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		name := f.Tag.Get("envconfig")
		if name == "" {
			t.Fatalf("config.Config.%s has no envconfig tag", f.Name)
		}
		vars[name] = f.Tag.Get("default")
	}
	return vars
}

// portOf is the port of a host:port address such as HTTP_ADDR.
func portOf(t *testing.T, addr string) int {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil || n == 0 {
		t.Fatalf("address %q has no fixed port", addr)
	}
	return n
}

func TestEveryYAMLParses(t *testing.T) {
	docs := loadDocs(t)
	seen := map[string]string{}
	var kinds []string
	for _, d := range docs {
		if d.head.APIVersion == "" {
			continue // not a Kubernetes object: the Slack manifest, compose
		}
		if d.head.Kind == "" {
			t.Errorf("%s: apiVersion without kind", d.file)
		}
		if d.head.Metadata.Name == "" && d.head.Kind != "Kustomization" {
			t.Errorf("%s: %s without metadata.name", d.file, d.head.Kind)
		}
		key := d.head.Kind + "/" + d.head.Metadata.Name
		if prev, dup := seen[key]; dup {
			t.Errorf("%s is defined twice: %s and %s", key, prev, d.file)
		}
		seen[key] = d.file
		kinds = append(kinds, d.head.Kind)
	}
	for _, want := range []string{"Deployment", "PodDisruptionBudget", "Secret", "StatefulSet", "Service", "Kustomization"} {
		if !slices.Contains(kinds, want) {
			t.Errorf("no %s under deploy/kubernetes", want)
		}
	}
}

func TestDeployment(t *testing.T) {
	var dep workload
	only(t, loadDocs(t), "Deployment", &dep)
	if replicas(dep) < 2 {
		t.Errorf("replicas = %d, want at least 2", replicas(dep))
	}
	if !subset(dep.Spec.Selector.MatchLabels, dep.Spec.Template.Metadata.Labels) {
		t.Errorf("selector %v does not select the pod labels %v", dep.Spec.Selector.MatchLabels, dep.Spec.Template.Metadata.Labels)
	}
	if len(dep.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(dep.Spec.Template.Spec.Containers))
	}
	c := dep.Spec.Template.Spec.Containers[0]
	addr, ok := c.env("HTTP_ADDR")
	if !ok || addr.Value == "" {
		t.Fatal("the container does not set HTTP_ADDR")
	}
	port := portOf(t, addr.Value)
	probes := []struct {
		name  string
		probe *probe
		path  string
	}{
		{"livenessProbe", c.LivenessProbe, "/healthz"},
		{"readinessProbe", c.ReadinessProbe, "/readyz"},
	}
	for _, p := range probes {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s is not an httpGet probe", p.name)
			continue
		}
		if got := p.probe.HTTPGet.Path; got != p.path {
			t.Errorf("%s path = %q, want %q", p.name, got, p.path)
		}
		if got := c.containerPort(p.probe.HTTPGet.Port); got != port {
			t.Errorf("%s port %q = container port %d, want HTTP_ADDR's %d", p.name, p.probe.HTTPGet.Port, got, port)
		}
	}
	for _, r := range []string{"cpu", "memory"} {
		if c.Resources.Requests[r] == "" || c.Resources.Limits[r] == "" {
			t.Errorf("resources for %s: requests %q, limits %q, want both set", r, c.Resources.Requests[r], c.Resources.Limits[r])
		}
	}
}

// Both workloads run as non-root with a read-only root and no capabilities.
func TestWorkloadsAreLockedDown(t *testing.T) {
	docs := loadDocs(t)
	for _, kind := range []string{"Deployment", "StatefulSet"} {
		t.Run(kind, func(t *testing.T) {
			var w workload
			only(t, docs, kind, &w)
			pod := w.Spec.Template.Spec.SecurityContext
			for _, c := range w.Spec.Template.Spec.Containers {
				sc := c.SecurityContext
				if sc == nil {
					t.Errorf("container %s has no securityContext", c.Name)
					continue
				}
				nonRoot := (sc.RunAsNonRoot != nil && *sc.RunAsNonRoot) || (sc.RunAsNonRoot == nil && pod != nil && pod.RunAsNonRoot != nil && *pod.RunAsNonRoot)
				if !nonRoot {
					t.Errorf("container %s: runAsNonRoot is not true", c.Name)
				}
				user := sc.RunAsUser
				if user == nil && pod != nil {
					user = pod.RunAsUser
				}
				if user == nil || *user == 0 {
					t.Errorf("container %s: runAsUser = %v, want a non-zero uid (kubelet cannot check a named image user)", c.Name, user)
				}
				if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
					t.Errorf("container %s: readOnlyRootFilesystem is not true", c.Name)
				}
				if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
					t.Errorf("container %s: allowPrivilegeEscalation is not false", c.Name)
				}
				if !slices.Contains(sc.Capabilities.Drop, "ALL") {
					t.Errorf("container %s: capabilities.drop = %v, want ALL", c.Name, sc.Capabilities.Drop)
				}
			}
		})
	}
}

func TestPodDisruptionBudget(t *testing.T) {
	docs := loadDocs(t)
	var dep workload
	only(t, docs, "Deployment", &dep)
	var pdb podDisruptionBudget
	only(t, docs, "PodDisruptionBudget", &pdb)
	if !subset(pdb.Spec.Selector.MatchLabels, dep.Spec.Template.Metadata.Labels) {
		t.Errorf("PDB selector %v does not select the Deployment's pods %v", pdb.Spec.Selector.MatchLabels, dep.Spec.Template.Metadata.Labels)
	}
	if pdb.Spec.MinAvailable == nil {
		t.Fatal("PDB has no minAvailable")
	}
	n, err := strconv.Atoi(string(*pdb.Spec.MinAvailable))
	if err != nil || n < 1 || n >= replicas(dep) {
		// minAvailable = replicas would block every node drain.
		t.Errorf("PDB minAvailable = %s with %d replicas, want at least 1 and fewer than the replicas", *pdb.Spec.MinAvailable, replicas(dep))
	}
}

// The Secret holds exactly the variables the Deployment reads from it,
// under their own names, and no real token.
func TestSecretMatchesDeployment(t *testing.T) {
	docs := loadDocs(t)
	var dep workload
	only(t, docs, "Deployment", &dep)
	var sec secret
	only(t, docs, "Secret", &sec)

	var read []string
	for _, c := range dep.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				continue
			}
			ref := e.ValueFrom.SecretKeyRef
			if ref.Name != sec.Metadata.Name {
				t.Errorf("%s comes from Secret %q, want %q", e.Name, ref.Name, sec.Metadata.Name)
			}
			if ref.Key != e.Name {
				t.Errorf("%s comes from key %q, want the variable's own name", e.Name, ref.Key)
			}
			read = append(read, ref.Key)
		}
	}
	var keys []string
	for k, v := range sec.StringData {
		keys = append(keys, k)
		if strings.HasPrefix(v, "xoxb-") || strings.HasPrefix(v, "xapp-") {
			t.Errorf("Secret %s holds what looks like a real token; keep a placeholder", k)
		}
	}
	for k := range sec.Data {
		keys = append(keys, k)
	}
	slices.Sort(read)
	slices.Sort(keys)
	if !slices.Equal(keys, read) {
		t.Errorf("Secret keys %v, Deployment reads %v: want the same", keys, read)
	}
	for _, want := range []string{"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN"} {
		if !slices.Contains(read, want) {
			t.Errorf("the Deployment does not read %s from the Secret", want)
		}
	}
}

// The Deployment's REDIS_URL reaches the StatefulSet's Redis through the
// Service, and that Redis keeps an append-only file on its volume.
func TestRedis(t *testing.T) {
	docs := loadDocs(t)
	var dep, sts workload
	only(t, docs, "Deployment", &dep)
	only(t, docs, "StatefulSet", &sts)
	var svc service
	only(t, docs, "Service", &svc)

	e, ok := dep.Spec.Template.Spec.Containers[0].env("REDIS_URL")
	if !ok {
		t.Fatal("the Deployment does not set REDIS_URL")
	}
	u, err := url.Parse(e.Value)
	if err != nil || u.Scheme != "redis" {
		t.Fatalf("REDIS_URL %q is not a redis:// URL", e.Value)
	}
	if u.Hostname() != svc.Metadata.Name {
		t.Errorf("REDIS_URL host %q, want the Service %q", u.Hostname(), svc.Metadata.Name)
	}
	if !subset(svc.Spec.Selector, sts.Spec.Template.Metadata.Labels) {
		t.Errorf("Service selector %v does not select the Redis pods %v", svc.Spec.Selector, sts.Spec.Template.Metadata.Labels)
	}
	if subset(svc.Spec.Selector, dep.Spec.Template.Metadata.Labels) {
		t.Errorf("Service selector %v also selects the bot's pods", svc.Spec.Selector)
	}
	if sts.Spec.ServiceName != svc.Metadata.Name {
		t.Errorf("StatefulSet serviceName %q, want %q", sts.Spec.ServiceName, svc.Metadata.Name)
	}
	if len(sts.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("%d Redis containers, want 1", len(sts.Spec.Template.Spec.Containers))
	}
	redis := sts.Spec.Template.Spec.Containers[0]
	if len(svc.Spec.Ports) != 1 || strconv.Itoa(svc.Spec.Ports[0].Port) != u.Port() || redis.containerPort(svc.Spec.Ports[0].TargetPort) != 6379 {
		t.Errorf("Service ports %+v, REDIS_URL port %q: want one port matching the URL, targeting Redis's 6379", svc.Spec.Ports, u.Port())
	}
	argv := append(slices.Clone(redis.Command), redis.Args...)
	if !hasFlag(argv, "--appendonly", "yes") {
		t.Errorf("Redis runs %q, want --appendonly yes", argv)
	}
	dir := "/data" // the official image's working directory
	if i := slices.Index(argv, "--dir"); i >= 0 && i+1 < len(argv) {
		dir = argv[i+1]
	}
	if len(sts.Spec.VolumeClaimTemplates) != 1 {
		t.Fatalf("%d volumeClaimTemplates, want 1", len(sts.Spec.VolumeClaimTemplates))
	}
	claim := sts.Spec.VolumeClaimTemplates[0].Metadata.Name
	mounted := false
	for _, m := range redis.VolumeMounts {
		mounted = mounted || (m.Name == claim && m.MountPath == dir)
	}
	if !mounted {
		t.Errorf("the claim %q is not mounted at Redis's dir %s: %+v", claim, dir, redis.VolumeMounts)
	}
}

// hasFlag reports whether argv holds flag followed by value (or a single
// "flag value" string, as in a shell command).
func hasFlag(argv []string, flag, value string) bool {
	for i, a := range argv {
		if a == flag && i+1 < len(argv) && argv[i+1] == value {
			return true
		}
		if f := strings.Fields(a); len(f) > 1 && hasFlag(f, flag, value) {
			return true
		}
	}
	return false
}

// kubectl apply -k applies every manifest except the Secret template.
func TestKustomization(t *testing.T) {
	var k struct {
		Resources []string `yaml:"resources"`
	}
	d := only(t, loadDocs(t), "Kustomization", &k)
	dir := filepath.Dir(d.file)
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		switch base := filepath.Base(f); base {
		case "kustomization.yaml", "secret.yaml":
		default:
			want = append(want, base)
		}
	}
	got := slices.Sorted(slices.Values(k.Resources))
	if !slices.Equal(got, want) {
		t.Errorf("kustomization resources %v, want %v (every manifest but the Secret template)", got, want)
	}
}

// compose is the part of docker-compose.yml the tests read.
type compose struct {
	Services map[string]struct {
		Image       string    `yaml:"image"`
		Command     yaml.Node `yaml:"command"`
		EnvFile     yaml.Node `yaml:"env_file"`
		Environment yaml.Node `yaml:"environment"`
		Volumes     []string  `yaml:"volumes"`
		Restart     string    `yaml:"restart"`
		Healthcheck *struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// envMap reads a compose environment, a mapping or a list of NAME=value.
func envMap(t *testing.T, n yaml.Node) map[string]string {
	t.Helper()
	env := map[string]string{}
	switch n.Kind {
	case 0:
	case yaml.MappingNode:
		if err := n.Decode(&env); err != nil {
			t.Fatal(err)
		}
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			t.Fatal(err)
		}
		for _, kv := range list {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
	default:
		t.Fatalf("environment at line %d is neither a mapping nor a list", n.Line)
	}
	return env
}

func TestCompose(t *testing.T) {
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	bot, ok := c.Services["bot"]
	if !ok {
		t.Fatal("no bot service")
	}
	env := envMap(t, bot.Environment)
	u, err := url.Parse(env["REDIS_URL"])
	if err != nil || u.Scheme != "redis" {
		t.Fatalf("bot REDIS_URL %q is not a redis:// URL", env["REDIS_URL"])
	}
	redis, ok := c.Services[u.Hostname()]
	if !ok {
		t.Fatalf("bot REDIS_URL names %q, which is not a service", u.Hostname())
	}
	var command []string
	if err := redis.Command.Decode(&command); err != nil {
		var s string
		if err := redis.Command.Decode(&s); err != nil {
			t.Fatalf("redis command: %v", err)
		}
		command = strings.Fields(s)
	}
	if !hasFlag(command, "--appendonly", "yes") {
		t.Errorf("redis command %q, want --appendonly yes", command)
	}
	persisted := false
	for _, v := range redis.Volumes {
		name, path, _ := strings.Cut(v, ":")
		_, named := c.Volumes[name]
		persisted = persisted || (named && strings.TrimSuffix(path, ":rw") == "/data")
	}
	if !persisted {
		t.Errorf("redis volumes %v, want a named volume on /data", redis.Volumes)
	}
	var envFiles []string
	if err := bot.EnvFile.Decode(&envFiles); err != nil {
		var s string
		if err := bot.EnvFile.Decode(&s); err != nil || s == "" {
			t.Errorf("bot has no env_file")
		}
		envFiles = []string{s}
	}
	for _, f := range envFiles {
		if filepath.Base(f) != ".env" {
			t.Errorf("bot env_file %q, want the .env that .env.example describes", f)
		}
	}
	if addr, ok := env["HTTP_ADDR"]; ok {
		portOf(t, addr)
	}
	for name, s := range map[string]struct {
		restart string
		health  bool
	}{
		"bot":        {bot.Restart, bot.Healthcheck != nil && len(bot.Healthcheck.Test) > 0},
		u.Hostname(): {redis.Restart, redis.Healthcheck != nil && len(redis.Healthcheck.Test) > 0},
	} {
		if s.restart == "" || s.restart == "no" {
			t.Errorf("service %s has restart %q, want a restart policy", name, s.restart)
		}
		if !s.health {
			t.Errorf("service %s has no healthcheck", name)
		}
	}
	if bot.Healthcheck != nil && !slices.Equal(bot.Healthcheck.Test, []string{"CMD", "/partnerbot", "healthcheck"}) {
		t.Errorf("bot healthcheck %q, want the binary's own (the image has no shell)", bot.Healthcheck.Test)
	}
}

// Every variable the deployment files set is one the bot reads.
func TestEnvNamesAreConfig(t *testing.T) {
	vars := configVars(t)
	docs := loadDocs(t)
	var dep workload
	only(t, docs, "Deployment", &dep)
	for _, c := range dep.Spec.Template.Spec.Containers {
		for _, e := range c.Env {
			if _, ok := vars[e.Name]; !ok {
				t.Errorf("the Deployment sets %s, which config.Config does not read", e.Name)
			}
		}
	}
	raw, err := os.ReadFile("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	for name := range envMap(t, c.Services["bot"].Environment) {
		if _, ok := vars[name]; !ok {
			t.Errorf("compose sets %s, which config.Config does not read", name)
		}
	}
}

// .env.example lists every variable with its default, after a comment.
func TestEnvExample(t *testing.T) {
	f, err := os.Open("../.env.example")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vars := configVars(t)
	listed := map[string]string{}
	commented := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			commented = false
		case strings.HasPrefix(line, "#"):
			commented = true
		default:
			name, value, ok := strings.Cut(line, "=")
			if !ok {
				t.Errorf(".env.example: %q is not NAME=value", line)
				continue
			}
			if !commented {
				t.Errorf(".env.example: %s has no comment above it", name)
			}
			listed[name] = value
			commented = false
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for name, def := range vars {
		got, ok := listed[name]
		switch {
		case !ok:
			t.Errorf(".env.example lacks %s", name)
		case got != def:
			t.Errorf(".env.example: %s=%s, want the default %q", name, got, def)
		}
	}
	for name := range listed {
		if _, ok := vars[name]; !ok {
			t.Errorf(".env.example lists %s, which config.Config does not read", name)
		}
	}
}

// dockerfile returns the Dockerfile's instructions, continuation lines
// joined, comments dropped.
func dockerfile(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	cur := ""
	for line := range strings.Lines(string(raw)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || (line == "" && cur == "") {
			continue
		}
		if rest, ok := strings.CutSuffix(line, "\\"); ok {
			cur += rest + " "
			continue
		}
		out = append(out, strings.Join(strings.Fields(cur+line), " "))
		cur = ""
	}
	return out
}

// The runtime image runs the static binary as a non-root uid, checks its
// own health, and exposes the port the Deployment probes.
func TestDockerfile(t *testing.T) {
	lines := dockerfile(t)
	last := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "FROM ") {
			last = i
		}
	}
	if !slices.ContainsFunc(lines[:last], func(l string) bool { return strings.Contains(l, "CGO_ENABLED=0") }) {
		t.Error("the build stage does not set CGO_ENABLED=0: the binary would not be static")
	}
	runtime := lines[last:]
	var user, httpAddr, expose, health string
	for _, l := range runtime {
		word, rest, _ := strings.Cut(l, " ")
		switch word {
		case "USER":
			user = rest
		case "ENV":
			if v, ok := strings.CutPrefix(rest, "HTTP_ADDR="); ok {
				httpAddr = v
			}
		case "EXPOSE":
			expose = rest
		case "HEALTHCHECK":
			health = rest
		}
	}
	uid, _, _ := strings.Cut(user, ":")
	if n, err := strconv.Atoi(uid); err != nil || n == 0 {
		t.Errorf("runtime USER %q, want a numeric non-zero uid", user)
	}
	if !strings.HasSuffix(health, `CMD ["/partnerbot", "healthcheck"]`) {
		t.Errorf("HEALTHCHECK %q, want CMD [\"/partnerbot\", \"healthcheck\"]", health)
	}
	if httpAddr == "" || strconv.Itoa(portOf(t, httpAddr)) != expose {
		t.Errorf("ENV HTTP_ADDR=%s, EXPOSE %s: want the same port", httpAddr, expose)
	}
	var dep workload
	only(t, loadDocs(t), "Deployment", &dep)
	if c := dep.Spec.Template.Spec.Containers[0]; len(c.Ports) == 0 || strconv.Itoa(c.Ports[0].ContainerPort) != expose {
		t.Errorf("Deployment container ports %+v, want the image's EXPOSE %s", c.Ports, expose)
	}
}
