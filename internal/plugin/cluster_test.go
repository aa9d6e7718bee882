package plugin

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the output")

// now is the fixed clock of every test: a Monday at noon. Status times and
// Event times are written relative to it, so that relative times in the
// output never change.
var now = time.Date(2027, time.March, 1, 12, 0, 0, 0, time.UTC)

// ago and later return instants relative to now, to the second as the
// operator writes them.
func ago(d time.Duration) time.Time   { return now.Add(-d) }
func later(d time.Duration) time.Time { return now.Add(d) }

func mt(t time.Time) metav1.Time   { return metav1.NewTime(t) }
func mtp(t time.Time) *metav1.Time { m := metav1.NewTime(t); return &m }

const day = 24 * time.Hour

// One API server serves every test of the package; it starts with the
// first test that needs it and stops in TestMain.
var (
	envOnce    sync.Once
	testEnv    *envtest.Environment
	testClient client.Client
	// testReader reads the way the plugin does.
	testReader reader
	envErr     error
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if testEnv != nil {
		if err := testEnv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stopping the API server:", err)
		}
	}
	os.Exit(code)
}

// cluster returns a client of the shared API server, starting it first.
// Without KUBEBUILDER_ASSETS the test fails rather than skips: a skipped
// golden test looks like one that passed.
func cluster(t *testing.T) client.Client {
	t.Helper()
	assets := os.Getenv("KUBEBUILDER_ASSETS")
	if assets == "" {
		t.Fatal("KUBEBUILDER_ASSETS is not set: these tests run the plugin against a real " +
			"API server. Run `make test`, or `make control-plane` and set KUBEBUILDER_ASSETS " +
			"to the directory it prints (bin/k8s/<version>-<os>-<arch>)")
	}
	if _, err := os.Stat(filepath.Join(assets, "kube-apiserver")); err != nil {
		t.Fatalf("KUBEBUILDER_ASSETS=%s has no kube-apiserver: run `make control-plane`",
			assets)
	}
	envOnce.Do(startCluster)
	if envErr != nil {
		t.Fatalf("starting the API server: %v", envErr)
	}
	return testClient
}

func startCluster() {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme,
		portingv1alpha1.AddToScheme} {
		if envErr = add(s); envErr != nil {
			return
		}
	}
	testEnv = &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join("..", "..", "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		UseExistingCluster:    ptr.To(false),
	}
	cfg, err := testEnv.Start()
	if err != nil {
		envErr = err
		return
	}
	if testClient, envErr = client.New(cfg, client.Options{Scheme: s}); envErr != nil {
		return
	}
	testReader, envErr = newKube(cfg)
}

// fixture creates objects in a fresh namespace of the shared API server.
// envtest runs no garbage collector or namespace controller, so nothing is
// cleaned up: each test gets namespaces of its own instead.
type fixture struct {
	t   *testing.T
	ctx context.Context
	c   client.Client
	r   reader
	ns  string
	// base is the readable name the generated namespace stands for in
	// golden output, which must not change from run to run.
	base string
	// created is the creation time each object is shown with: the API
	// server stamps the real time, which a golden file cannot hold.
	created map[string]time.Time
	events  int
}

func newFixture(t *testing.T, base string) *fixture {
	t.Helper()
	c := cluster(t)
	ctx := context.Background()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: base + "-"}}
	if err := c.Create(ctx, ns); err != nil {
		t.Fatalf("creating namespace: %v", err)
	}
	return &fixture{t: t, ctx: ctx, c: c, r: testReader, ns: ns.Name, base: base,
		created: map[string]time.Time{}}
}

// baseSpec is a valid order of the given numbers.
func baseSpec(carrier string, numbers ...string) portingv1alpha1.PortRequestSpec {
	return portingv1alpha1.PortRequestSpec{
		Numbers: numbers,
		LosingCarrier: portingv1alpha1.LosingCarrier{
			Name:          carrier,
			AccountNumber: "4410-2231-77",
			PINSecretRef:  &portingv1alpha1.SecretKeyReference{Name: "port-docs", Key: "pin"},
		},
		Subscriber: portingv1alpha1.Subscriber{
			Name:             "Acme Dental Group LLC",
			AuthorizedPerson: "Dana Whitfield",
			ServiceAddress: portingv1alpha1.ServiceAddress{
				Street: "500 Harbor Street", City: "San Francisco", Region: "CA",
				PostalCode: "94107", Country: portingv1alpha1.CountryUS,
			},
		},
		Documents: portingv1alpha1.Documents{
			LetterOfAuthorization: portingv1alpha1.SecretKeyReference{
				Name: "port-docs", Key: "loa.pdf"},
			Invoice: portingv1alpha1.Invoice{
				SecretRef: portingv1alpha1.SecretKeyReference{Name: "port-docs",
					Key: "invoice.pdf"},
				IssueDate: "2027-01-05",
			},
		},
	}
}

// portRequest creates a PortRequest and writes its status through the
// status subresource, as the operator does.
func (f *fixture) portRequest(name string, created time.Time, spec portingv1alpha1.PortRequestSpec,
	status portingv1alpha1.PortRequestStatus,
	labels map[string]string) *portingv1alpha1.PortRequest {
	f.t.Helper()
	pr := &portingv1alpha1.PortRequest{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns, Labels: labels},
		Spec:       spec,
	}
	f.create(pr, created)
	pr.Status = status
	f.writeStatus(pr)
	return pr
}

// phoneNumber creates a PhoneNumber and writes its status.
func (f *fixture) phoneNumber(name string, created time.Time, spec portingv1alpha1.PhoneNumberSpec,
	status portingv1alpha1.PhoneNumberStatus) *portingv1alpha1.PhoneNumber {
	f.t.Helper()
	pn := &portingv1alpha1.PhoneNumber{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: f.ns},
		Spec:       spec,
	}
	f.create(pn, created)
	pn.Status = status
	f.writeStatus(pn)
	return pn
}

func (f *fixture) create(obj client.Object, created time.Time) {
	f.t.Helper()
	if err := f.c.Create(f.ctx, obj); err != nil {
		f.t.Fatalf("creating %s: %v", obj.GetName(), err)
	}
	f.created[obj.GetNamespace()+"/"+obj.GetName()] = created
}

func (f *fixture) writeStatus(obj client.Object) {
	f.t.Helper()
	if err := f.c.Status().Update(f.ctx, obj); err != nil {
		f.t.Fatalf("writing the status of %s: %v", obj.GetName(), err)
	}
}

// event records an Event about obj through events.k8s.io/v1, as the
// operator's recorders do.
func (f *fixture) event(obj client.Object, kind, eventType, reason, action, note string,
	at time.Time) {
	f.t.Helper()
	f.events++
	reporter := "portrequest-controller"
	if kind == kindPhoneNumber {
		reporter = "phonenumber-controller"
	}
	ev := &eventsv1.Event{
		ObjectMeta: metav1.ObjectMeta{
			Name:      fmt.Sprintf("%s.%d", obj.GetName(), f.events),
			Namespace: f.ns,
		},
		EventTime:           metav1.NewMicroTime(at),
		ReportingController: reporter,
		ReportingInstance:   reporter + "-test",
		Action:              action,
		Reason:              reason,
		Type:                eventType,
		Note:                note,
		Regarding: corev1.ObjectReference{
			APIVersion: portingv1alpha1.GroupVersion.String(),
			Kind:       kind,
			Namespace:  f.ns,
			Name:       obj.GetName(),
			UID:        obj.GetUID(),
		},
	}
	if err := f.c.Create(f.ctx, ev); err != nil {
		f.t.Fatalf("creating event %s: %v", reason, err)
	}
}

// stable replaces what the API server decides with what the fixture
// stands for: creation times and the generated namespace name.
func (f *fixture) stable(objs ...client.Object) {
	for _, o := range objs {
		if t, ok := f.created[o.GetNamespace()+"/"+o.GetName()]; ok {
			o.SetCreationTimestamp(metav1.NewTime(t))
		}
		if o.GetNamespace() == f.ns {
			o.SetNamespace(f.base)
		}
	}
}

// render prints with the fixed clock, in UTC.
func render(write func(p *printer)) []byte {
	var out bytes.Buffer
	write(&printer{w: &out, now: now, loc: time.UTC})
	return out.Bytes()
}

// golden compares output with testdata/NAME.golden, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v (run `go test ./internal/plugin -update` to create it)",
			path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (-want +got); if the change is intended, run "+
			"`go test ./internal/plugin -update`:\n%s", path,
			cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")))
	}
}

// condition builds a condition as the operator writes it.
func condition(condType string, status metav1.ConditionStatus, reason, message string,
	changed time.Time) metav1.Condition {
	return metav1.Condition{Type: condType, Status: status, Reason: reason, Message: message,
		ObservedGeneration: 1, LastTransitionTime: metav1.NewTime(changed)}
}
