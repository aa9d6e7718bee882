package telnyx

import (
	"context"
	"flag"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

func TestOptionsFromFlags(t *testing.T) {
	var o Options
	fs := flag.NewFlagSet("manager", flag.ContinueOnError)
	o.RegisterFlags(fs)
	err := fs.Parse([]string{
		"--telnyx-base-url=http://127.0.0.1:9999/v2",
		"--telnyx-api-key-secret=numberport-system/telnyx",
		"--telnyx-platform-spids=9990, 9991",
		"--telnyx-connection-id=conn-1",
		"--telnyx-webhook-bind-address=:9444",
	})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}

	cfg := o.Config("the-key")

	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if cfg.BaseURL != "http://127.0.0.1:9999/v2" || cfg.ConnectionID != "conn-1" ||
		!slices.Equal(cfg.PlatformSPIDs, []string{"9990", "9991"}) {
		t.Errorf("config %+v", cfg)
	}
}

func TestParseSecretRef(t *testing.T) {
	tests := []struct {
		ref, key, name string
		ok             bool
	}{
		{"numberport-system/telnyx", DefaultAPIKeySecretKey, "numberport-system/telnyx", true},
		{"ns/telnyx:token", "token", "ns/telnyx", true},
		{"telnyx", "", "", false},
		{"ns/", "", "", false},
		{"ns/a/b", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		key, name, err := ParseSecretRef(tt.ref)
		if (err == nil) != tt.ok || (tt.ok && (key != tt.key || name.String() != tt.name)) {
			t.Errorf("ParseSecretRef(%q) = %q, %s, %v", tt.ref, key, name, err)
		}
	}
}

func TestAPIKeyFromSecret(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(&corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: "numberport-system", Name: "telnyx"},
		Data:       map[string][]byte{"api-key": []byte("KEYabc123\n"), "empty": nil},
	}).Build()
	ctx := context.Background()

	key, err := APIKeyFromSecret(ctx, c, "numberport-system/telnyx")
	if err != nil || key != "KEYabc123" {
		t.Errorf("APIKeyFromSecret = %q, %v", key, err)
	}
	for _, ref := range []string{"numberport-system/telnyx:empty", "numberport-system/none"} {
		_, err := APIKeyFromSecret(ctx, c, ref)
		if err == nil || strings.Contains(err.Error(), "KEYabc123") {
			t.Errorf("APIKeyFromSecret(%q) error = %v", ref, err)
		}
	}
}
