package health_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// scriptDir holds the health checks as Argo CD users install them.
const scriptDir = "../../config/argocd"

// kind is one of the operator's kinds, with where its health check, its
// fixtures and its CRD are.
type kind struct {
	name     string
	script   string
	fixtures string
	crd      string
	// decode reads a fixture into the Go type, to prove it uses the API's
	// field names.
	decode func([]byte) error
}

var (
	portRequestKind = kind{
		name:     "PortRequest",
		script:   filepath.Join(scriptDir, "porting.numberport.io_PortRequest.lua"),
		fixtures: filepath.Join("testdata", "portrequest"),
		crd:      "../../config/crd/bases/porting.numberport.io_portrequests.yaml",
		decode: func(data []byte) error {
			return yaml.UnmarshalStrict(data, &portingv1alpha1.PortRequest{})
		},
	}
	phoneNumberKind = kind{
		name:     "PhoneNumber",
		script:   filepath.Join(scriptDir, "porting.numberport.io_PhoneNumber.lua"),
		fixtures: filepath.Join("testdata", "phonenumber"),
		crd:      "../../config/crd/bases/porting.numberport.io_phonenumbers.yaml",
		decode: func(data []byte) error {
			return yaml.UnmarshalStrict(data, &portingv1alpha1.PhoneNumber{})
		},
	}
	kinds = []kind{portRequestKind, phoneNumberKind}
)

func (k kind) fixturePath(name string) string {
	return filepath.Join(k.fixtures, name+".yaml")
}

// fixtureNames lists the fixtures of a kind, without the .yaml suffix.
func (k kind) fixtureNames(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(k.fixtures, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(paths))
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".yaml"))
	}
	sort.Strings(names)
	return names
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fixtureJSON(t *testing.T, path string) []byte {
	t.Helper()
	data, err := yaml.YAMLToJSON(readFile(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return data
}

// loadObject reads a fixture the way Argo CD hands an object to Lua: decoded
// from JSON, every number a float64.
func loadObject(t *testing.T, path string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := json.Unmarshal(fixtureJSON(t, path), &obj); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return obj
}

// loadUnstructured reads a fixture the way client-go decodes an object, with
// integers as int64, which kstatus requires of generations.
func loadUnstructured(t *testing.T, path string) *unstructured.Unstructured {
	t.Helper()
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(fixtureJSON(t, path)); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return u
}

// conditionMessage returns the message of a condition in a fixture's status.
func conditionMessage(t *testing.T, obj map[string]any, condType string) string {
	t.Helper()
	conds, _, _ := unstructured.NestedSlice(obj, "status", "conditions")
	for _, c := range conds {
		c, _ := c.(map[string]any)
		if c["type"] == condType {
			msg, _ := c["message"].(string)
			return msg
		}
	}
	t.Fatalf("the fixture has no %s condition", condType)
	return ""
}

var placeholder = regexp.MustCompile(`\{([A-Za-z]+)\}`)

// expand replaces {Type} in an expected message with the message of the
// fixture's condition of that type, so that tables state the format of a
// health message without repeating the operator's long sentences.
func expand(t *testing.T, obj map[string]any, want string) string {
	t.Helper()
	return placeholder.ReplaceAllStringFunc(want, func(m string) string {
		return conditionMessage(t, obj, placeholder.FindStringSubmatch(m)[1])
	})
}

// TestFixturesUseTheAPI decodes every fixture strictly into the API types,
// so that a misspelt field cannot make a case pass for the wrong reason.
func TestFixturesUseTheAPI(t *testing.T) {
	for _, k := range kinds {
		for _, name := range k.fixtureNames(t) {
			t.Run(k.name+"/"+name, func(t *testing.T) {
				if err := k.decode(readFile(t, k.fixturePath(name))); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// phaseEnum reads the phases the CRD admits in status.phase.
func phaseEnum(t *testing.T, crdPath string) []string {
	t.Helper()
	var crd struct {
		Spec struct {
			Versions []struct {
				Name   string `json:"name"`
				Schema struct {
					OpenAPIV3Schema struct {
						Properties struct {
							Status struct {
								Properties struct {
									Phase struct {
										Enum []string `json:"enum"`
									} `json:"phase"`
								} `json:"properties"`
							} `json:"status"`
						} `json:"properties"`
					} `json:"openAPIV3Schema"`
				} `json:"schema"`
			} `json:"versions"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(readFile(t, crdPath), &crd); err != nil {
		t.Fatal(err)
	}
	for _, v := range crd.Spec.Versions {
		if v.Name == portingv1alpha1.GroupVersion.Version {
			return v.Schema.OpenAPIV3Schema.Properties.Status.Properties.Phase.Enum
		}
	}
	t.Fatalf("%s has no version %s", crdPath, portingv1alpha1.GroupVersion.Version)
	return nil
}
