package plugin

import (
	"context"
	"errors"
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"
)

// TestMissingAPI points the reader at a group the API server does not
// serve, as a cluster without the CRDs would answer, and expects the error
// to say so rather than that the object is missing.
func TestMissingAPI(t *testing.T) {
	cluster(t)
	cfg := rest.CopyConfig(testEnv.Config)
	cfg.GroupVersion = &schema.GroupVersion{Group: "absent.numberport.io", Version: "v1"}
	cfg.APIPath = "/apis"
	cfg.NegotiatedSerializer = serializer.NewCodecFactory(scheme).WithoutConversion()
	absent, err := rest.RESTClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	k := &kube{portingAPI: absent, eventsAPI: absent}
	ctx := context.Background()

	if _, err := k.portRequest(ctx, "default", "office"); !errors.Is(err, errNoAPI) {
		t.Errorf("get: %v, want errNoAPI", err)
	}
	if _, err := collectInFlight(ctx, k, "", ""); !errors.Is(err, errNoAPI) {
		t.Errorf("list: %v, want errNoAPI", err)
	}
	v, err := collectPortRequest(ctx, testReader, "default", "absent")
	if v != nil || err == nil || errors.Is(err, errNoAPI) {
		t.Errorf("a missing PortRequest: %v, %v; want a not-found error", v, err)
	}
}
