// helm-render renders a Helm chart the way `helm template` does, using Go's text/template with
// Masterminds/sprig and Helm's own template functions (include, tpl, required, toYaml, ...).
// It exists because no helm binary is available to the test suite; see charts/README.md for
// what it does not cover. Output is one JSON document on stdout.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"gopkg.in/yaml.v3"
)

type values = map[string]interface{}

type dependency struct {
	Name       string   `yaml:"name"`
	Version    string   `yaml:"version"`
	Repository string   `yaml:"repository"`
	Condition  string   `yaml:"condition"`
	Alias      string   `yaml:"alias"`
	Tags       []string `yaml:"tags"`
}

type chartMeta struct {
	APIVersion   string       `yaml:"apiVersion"`
	Name         string       `yaml:"name"`
	Version      string       `yaml:"version"`
	AppVersion   string       `yaml:"appVersion"`
	Description  string       `yaml:"description"`
	Type         string       `yaml:"type"`
	KubeVersion  string       `yaml:"kubeVersion"`
	Dependencies []dependency `yaml:"dependencies"`
}

type chart struct {
	dir       string
	meta      chartMeta
	defaults  values
	files     map[string][]byte
	templates map[string]string // relative path under templates/ -> source
	subcharts []*subchart
}

type subchart struct {
	dep   dependency
	chart *chart // nil when the dependency is remote (not vendored)
}

// files mirrors Helm's .Files object.
type files map[string][]byte

func (f files) Get(name string) string      { return string(f[name]) }
func (f files) GetBytes(name string) []byte { return f[name] }
func (f files) Lines(name string) []string {
	s := string(f[name])
	if s == "" {
		return []string{}
	}
	return strings.Split(strings.TrimRight(s, "\n"), "\n")
}
func (f files) Glob(pattern string) files {
	re := globToRegexp(pattern)
	out := files{}
	for k, v := range f {
		if re.MatchString(k) {
			out[k] = v
		}
	}
	return out
}
func (f files) AsConfig() string {
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return mustYaml(m)
}
func (f files) AsSecrets() string {
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(v)
	}
	return mustYaml(m)
}

func globToRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '*' && i+1 < len(p) && p[i+1] == '*':
			b.WriteString(".*")
			i++
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

type apiVersions []string

func (a apiVersions) Has(v string) bool {
	for _, x := range a {
		if x == v {
			return true
		}
	}
	return false
}

// builtinAPIVersions are the group/versions (and group/version/kind) of a plain Kubernetes 1.30 API
// server, which is what `helm template` assumes without --api-versions.
var builtinAPIVersions = []string{
	"v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "policy/v1",
	"networking.k8s.io/v1", "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1",
	"apiextensions.k8s.io/v1", "admissionregistration.k8s.io/v1", "coordination.k8s.io/v1",
	"discovery.k8s.io/v1", "scheduling.k8s.io/v1", "node.k8s.io/v1", "certificates.k8s.io/v1",
	"apps/v1/Deployment", "v1/Service", "v1/ConfigMap", "v1/Secret", "v1/ServiceAccount",
	"autoscaling/v2/HorizontalPodAutoscaler", "policy/v1/PodDisruptionBudget",
	"networking.k8s.io/v1/NetworkPolicy", "batch/v1/Job",
}

func mustYaml(v interface{}) string {
	s, err := toYaml(v)
	if err != nil {
		panic(err)
	}
	return s
}

// toYaml follows Helm: marshal through JSON (sigs.k8s.io/yaml), so numbers and key order match.
func toYaml(v interface{}) (string, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	var generic interface{}
	if err := yaml.Unmarshal(j, &generic); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(generic); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}

// normalize converts YAML-decoded data to what Helm sees after sigs.k8s.io/yaml: JSON types, with
// every number a float64 (so `gt .Values.n 1` fails exactly as it does in Helm).
func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		for k, x := range t {
			t[k] = normalize(x)
		}
		return t
	case map[interface{}]interface{}:
		m := map[string]interface{}{}
		for k, x := range t {
			m[fmt.Sprint(k)] = normalize(x)
		}
		return m
	case []interface{}:
		for i, x := range t {
			t[i] = normalize(x)
		}
		return t
	case int:
		return float64(t)
	case int64:
		return float64(t)
	case uint64:
		return float64(t)
	default:
		return v
	}
}

func readYamlValues(file string) (values, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var v values
	if err := yaml.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if v == nil {
		v = values{}
	}
	return normalize(v).(values), nil
}

// coalesce deep-merges src over dst, Helm style: maps merge, other values replace, null deletes.
func coalesce(dst, src values) values {
	out := values{}
	for k, v := range dst {
		out[k] = deepCopy(v)
	}
	for k, v := range src {
		if v == nil {
			delete(out, k)
			continue
		}
		sm, sok := v.(map[string]interface{})
		dm, dok := out[k].(map[string]interface{})
		if sok && dok {
			out[k] = coalesce(dm, sm)
		} else {
			out[k] = deepCopy(v)
		}
	}
	return out
}

func deepCopy(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		m := values{}
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []interface{}:
		l := make([]interface{}, len(t))
		for i, x := range t {
			l[i] = deepCopy(x)
		}
		return l
	default:
		return v
	}
}

func loadChart(dir string) (*chart, error) {
	c := &chart{dir: dir, files: map[string][]byte{}, templates: map[string]string{}}
	raw, err := os.ReadFile(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(raw, &c.meta); err != nil {
		return nil, fmt.Errorf("%s/Chart.yaml: %w", dir, err)
	}
	if c.meta.Name == "" || c.meta.Version == "" {
		return nil, fmt.Errorf("%s/Chart.yaml: name and version are required", dir)
	}
	c.defaults = values{}
	if _, err := os.Stat(filepath.Join(dir, "values.yaml")); err == nil {
		if c.defaults, err = readYamlValues(filepath.Join(dir, "values.yaml")); err != nil {
			return nil, err
		}
	}
	err = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if info.IsDir() {
			if rel == "charts" {
				return filepath.SkipDir
			}
			return nil
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasPrefix(rel, "templates/"):
			c.templates[strings.TrimPrefix(rel, "templates/")] = string(body)
		case rel == "Chart.yaml" || rel == "values.yaml" || rel == "Chart.lock":
		default:
			c.files[rel] = body
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, d := range c.meta.Dependencies {
		sc := &subchart{dep: d}
		if strings.HasPrefix(d.Repository, "file://") {
			sub, err := loadChart(filepath.Join(dir, strings.TrimPrefix(d.Repository, "file://")))
			if err != nil {
				return nil, err
			}
			if sub.meta.Version != d.Version {
				return nil, fmt.Errorf("dependency %s: Chart.yaml says version %s, %s/Chart.yaml has %s", d.Name, d.Version, dir, sub.meta.Version)
			}
			sc.chart = sub
		} else if vendored := filepath.Join(dir, "charts", d.Name); dirExists(vendored) {
			sub, err := loadChart(vendored)
			if err != nil {
				return nil, err
			}
			sc.chart = sub
		}
		c.subcharts = append(c.subcharts, sc)
	}
	return c, nil
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func lookupPath(v values, dotted string) (interface{}, bool) {
	var cur interface{} = v
	for _, part := range strings.Split(dotted, ".") {
		m, ok := cur.(map[string]interface{})
		if !ok {
			return nil, false
		}
		if cur, ok = m[part]; !ok {
			return nil, false
		}
	}
	return cur, true
}

type renderUnit struct {
	name   string // full template name, e.g. devops-ai/templates/deployment.yaml
	chart  *chart
	values values
	path   string // chart path prefix, e.g. umbrella/charts/devops-ai
}

type output struct {
	Manifests    []manifest          `json:"manifests"`
	Values       values              `json:"values"`
	Dependencies []dependencyOutcome `json:"dependencies"`
	// Notes is the top-level chart's rendered NOTES.txt, as `helm install` prints it.
	Notes string `json:"notes"`
}

type manifest struct {
	Source  string `json:"source"`
	Content string `json:"content"`
}

type dependencyOutcome struct {
	Name       string `json:"name"`
	Version    string `json:"version"`
	Repository string `json:"repository"`
	Enabled    bool   `json:"enabled"`
	Rendered   bool   `json:"rendered"`
}

// collect walks the chart tree, computing each chart's values the way Helm scopes them (a
// subchart sees parent.Values.<alias or name> merged over its own defaults, plus `global`).
func collect(c *chart, vals values, prefix string, units *[]renderUnit, deps *[]dependencyOutcome, top bool) error {
	for name := range c.templates {
		*units = append(*units, renderUnit{name: prefix + "/templates/" + name, chart: c, values: vals, path: prefix})
	}
	for _, sc := range c.subcharts {
		key := sc.dep.Name
		if sc.dep.Alias != "" {
			key = sc.dep.Alias
		}
		enabled := true
		if sc.dep.Condition != "" {
			for _, cond := range strings.Split(sc.dep.Condition, ",") {
				if v, ok := lookupPath(vals, strings.TrimSpace(cond)); ok {
					b, isBool := v.(bool)
					if !isBool {
						return fmt.Errorf("condition %s of %s is not a boolean", cond, sc.dep.Name)
					}
					enabled = b
					break
				}
			}
		}
		if top {
			*deps = append(*deps, dependencyOutcome{Name: sc.dep.Name, Version: sc.dep.Version, Repository: sc.dep.Repository, Enabled: enabled, Rendered: enabled && sc.chart != nil})
		}
		if !enabled || sc.chart == nil {
			continue
		}
		scoped := values{}
		if m, ok := vals[key].(map[string]interface{}); ok {
			scoped = m
		}
		subVals := coalesce(sc.chart.defaults, scoped)
		if g, ok := vals["global"].(map[string]interface{}); ok {
			sg, _ := subVals["global"].(map[string]interface{})
			subVals["global"] = coalesce(sg, g)
		}
		if err := collect(sc.chart, subVals, prefix+"/charts/"+key, units, deps, false); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	var valueFiles multiFlag
	chartDir := flag.String("chart", "", "chart directory")
	release := flag.String("release", "devops-ai", "release name")
	namespace := flag.String("namespace", "devops-ai", "release namespace")
	kubeVersion := flag.String("kube-version", "v1.30.0", "Kubernetes version for .Capabilities")
	extraAPIs := flag.String("api-versions", "", "comma-separated extra API versions for .Capabilities.APIVersions")
	flag.Var(&valueFiles, "f", "values file (repeatable)")
	flag.Parse()
	if *chartDir == "" {
		fail(errors.New("-chart is required"))
	}
	out, err := render(*chartDir, valueFiles, *release, *namespace, *kubeVersion, *extraAPIs)
	if err != nil {
		fail(err)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func fail(err error) {
	fmt.Fprintln(os.Stderr, "helm-render:", err)
	os.Exit(1)
}

func render(chartDir string, valueFiles []string, release, namespace, kubeVersion, extraAPIs string) (out *output, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	root, err := loadChart(chartDir)
	if err != nil {
		return nil, err
	}
	user := values{}
	for _, f := range valueFiles {
		v, err := readYamlValues(f)
		if err != nil {
			return nil, err
		}
		user = coalesce(user, v)
	}
	vals := coalesce(root.defaults, user)

	var units []renderUnit
	var deps []dependencyOutcome
	if err := collect(root, vals, root.meta.Name, &units, &deps, true); err != nil {
		return nil, err
	}
	sort.Slice(units, func(i, j int) bool { return units[i].name < units[j].name })

	apis := append(apiVersions{}, builtinAPIVersions...)
	for _, a := range strings.Split(extraAPIs, ",") {
		if a = strings.TrimSpace(a); a != "" {
			apis = append(apis, a)
		}
	}
	major, minor := "1", "30"
	if m := regexp.MustCompile(`^v?(\d+)\.(\d+)`).FindStringSubmatch(kubeVersion); m != nil {
		major, minor = m[1], m[2]
	}
	capabilities := map[string]interface{}{
		"KubeVersion": map[string]interface{}{"Version": kubeVersion, "GitVersion": kubeVersion, "Major": major, "Minor": minor},
		"APIVersions": apis,
		"HelmVersion": map[string]interface{}{"Version": "v3.16.0"},
	}

	// One template set for every chart, as in Helm, so named templates are shared.
	t := template.New("gotpl").Option("missingkey=zero")
	funcs := funcMap(&t)
	t.Funcs(funcs)
	for _, u := range units {
		src := u.chart.templates[strings.TrimPrefix(u.name, u.path+"/templates/")]
		if _, err := t.New(u.name).Parse(src); err != nil {
			return nil, err
		}
	}

	out = &output{Manifests: []manifest{}, Values: vals, Dependencies: deps}
	for _, u := range units {
		base := path.Base(u.name)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || (isNotes && u.path != root.meta.Name) {
			continue
		}
		data := map[string]interface{}{
			"Values": u.values,
			"Release": map[string]interface{}{
				"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": true,
				"IsUpgrade": false, "Revision": 1,
			},
			"Chart": map[string]interface{}{
				"Name": u.chart.meta.Name, "Version": u.chart.meta.Version, "AppVersion": u.chart.meta.AppVersion,
				"Description": u.chart.meta.Description, "Type": u.chart.meta.Type, "APIVersion": u.chart.meta.APIVersion,
			},
			"Files":        files(u.chart.files),
			"Capabilities": capabilities,
			"Template":     map[string]interface{}{"Name": u.name, "BasePath": u.path + "/templates"},
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, u.name, data); err != nil {
			return nil, err
		}
		content := strings.ReplaceAll(buf.String(), "<no value>", "")
		if isNotes {
			out.Notes = content
			continue
		}
		if strings.TrimSpace(content) == "" {
			continue
		}
		out.Manifests = append(out.Manifests, manifest{Source: u.name, Content: content})
	}
	return out, nil
}

func funcMap(t **template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	includeDepth := map[string]int{}
	f["include"] = func(name string, data interface{}) (string, error) {
		includeDepth[name]++
		defer func() { includeDepth[name]-- }()
		if includeDepth[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		var buf bytes.Buffer
		if err := (*t).ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := (*t).Clone()
		if err != nil {
			return "", err
		}
		nt, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := nt.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	f["toYaml"] = func(v interface{}) string {
		s, err := toYaml(v)
		if err != nil {
			return ""
		}
		return s
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		var m map[string]interface{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		if m == nil {
			m = map[string]interface{}{}
		}
		return normalize(m).(map[string]interface{})
	}
	f["fromYamlArray"] = func(s string) []interface{} {
		var a []interface{}
		if err := yaml.Unmarshal([]byte(s), &a); err != nil {
			return []interface{}{err.Error()}
		}
		return normalize(a).([]interface{})
	}
	f["toJson"] = func(v interface{}) string {
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(b)
	}
	f["fromJson"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["fromJsonArray"] = func(s string) []interface{} {
		var a []interface{}
		if err := json.Unmarshal([]byte(s), &a); err != nil {
			return []interface{}{err.Error()}
		}
		return a
	}
	f["toToml"] = func(interface{}) (string, error) {
		return "", errors.New("toToml is not supported by helm-render")
	}
	// `helm template` has no cluster: lookup returns an empty map, as it does there.
	f["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	return f
}
