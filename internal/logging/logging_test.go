package logging

import (
	"strings"
	"testing"

	"github.com/go-logr/logr/funcr"
)

func TestBoundedDropsClientGoTraces(t *testing.T) {
	var out strings.Builder
	base := funcr.New(func(_, args string) {
		out.WriteString(args + "\n")
	}, funcr.Options{Verbosity: 10})

	log := Bounded(base).WithName("controller").WithValues("PortRequest", "ns/a")
	log.V(MaxVerbosity).Info("kept")
	log.V(MaxVerbosity + 1).Info("dropped")
	log.V(8).Info("Response Body", "body", "secret")

	if !strings.Contains(out.String(), "kept") {
		t.Errorf("a message at the bound was dropped:\n%s", out.String())
	}
	if strings.Contains(out.String(), "dropped") || strings.Contains(out.String(), "secret") {
		t.Errorf("a message above the bound was logged:\n%s", out.String())
	}
	if log.V(8).Enabled() {
		t.Error("verbosity 8 reports enabled")
	}
}
