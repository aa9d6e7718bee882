package health_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false,
	"rewrite the argocd-cm snippets in config/argocd from the Lua scripts")

// configKeyPrefix is how argocd-cm names the health check of one group and
// kind; the wildcard form is not available in this key style.
const configKeyPrefix = "resource.customizations.health.porting.numberport.io_"

// snippet is a generated file that carries the scripts in argocd-cm form.
type snippet struct {
	file   string
	header string
	// path leads from the document root to the map that holds the keys.
	path []string
}

var snippets = []snippet{
	{
		file: "argocd-cm-patch.yaml",
		header: `# Argo CD health checks for numberport's PortRequest and PhoneNumber, as a
# patch of the argocd-cm ConfigMap. It is generated from the .lua files beside
# it by "go test ./internal/health -update": edit the scripts, not this file.
#
# Apply it to a running Argo CD with
#   kubectl -n argocd patch configmap argocd-cm --patch-file argocd-cm-patch.yaml
# or list it under patches, with a target of kind ConfigMap and name
# argocd-cm, in the kustomization that installs Argo CD.
# docs/gitops.md says what each phase maps to and why.
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
data:
`,
		path: []string{"data"},
	},
	{
		file: "argocd-helm-values.yaml",
		header: `# Argo CD health checks for numberport's PortRequest and PhoneNumber, as
# values for the argo-cd Helm chart, which writes configs.cm into argocd-cm.
# It is generated from the .lua files beside it by
# "go test ./internal/health -update": edit the scripts, not this file.
#
# Pass it with --values, or merge configs.cm into your own values file.
# docs/gitops.md says what each phase maps to and why.
configs:
  cm:
`,
		path: []string{"configs", "cm"},
	},
}

// render writes the scripts as YAML literal blocks under the header. A
// literal block keeps every line and the final newline, so the value Argo CD
// reads is the script byte for byte.
func (s snippet) render(t *testing.T) []byte {
	t.Helper()
	indent := strings.Repeat("  ", len(s.path))
	var b bytes.Buffer
	b.WriteString(s.header)
	for _, k := range []kind{phoneNumberKind, portRequestKind} {
		b.WriteString(indent + configKeyPrefix + k.name + ": |\n")
		for _, line := range strings.SplitAfter(string(readFile(t, k.script)), "\n") {
			if strings.TrimSpace(line) == "" {
				b.WriteString(strings.TrimLeft(line, " \t"))
				continue
			}
			b.WriteString(indent + "  " + line)
		}
	}
	return b.Bytes()
}

// TestArgoCDConfigSnippets keeps the ready-to-paste argocd-cm forms equal to
// the scripts the other tests check. Run with -update after changing a
// script.
func TestArgoCDConfigSnippets(t *testing.T) {
	for _, s := range snippets {
		t.Run(s.file, func(t *testing.T) {
			path := filepath.Join(scriptDir, s.file)
			want := s.render(t)
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}

			if got := readFile(t, path); !bytes.Equal(got, want) {
				t.Fatalf("%s is out of date: run go test ./internal/health -update", path)
			}
			assertScriptsRoundTrip(t, path, s.path)
		})
	}
}

// assertScriptsRoundTrip parses a snippet as YAML and compares each value
// with its script, which proves the literal blocks are indented right.
func assertScriptsRoundTrip(t *testing.T, path string, keyPath []string) {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(readFile(t, path), &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, field := range keyPath {
		m, ok := doc.(map[string]any)
		if !ok {
			t.Fatalf("%s has no %s", path, strings.Join(keyPath, "."))
		}
		doc = m[field]
	}
	values, ok := doc.(map[string]any)
	if !ok || len(values) != len(kinds) {
		t.Fatalf("%s: %s holds %v, want one key per kind", path, strings.Join(keyPath, "."), doc)
	}
	for _, k := range kinds {
		if got := values[configKeyPrefix+k.name]; got != string(readFile(t, k.script)) {
			t.Errorf("%s: the value of %s differs from %s", path, configKeyPrefix+k.name,
				k.script)
		}
	}
}
