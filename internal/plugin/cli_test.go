package plugin

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// run runs the plugin as kubectl would, with the fixed clock, and returns
// its exit code and output.
func run(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = Run(context.Background(), args, Options{
		Stdout: &out, Stderr: &errOut, Now: func() time.Time { return now },
		Location: time.UTC,
	})
	return code, out.String(), errOut.String()
}

// kubeconfig writes a kubeconfig for the shared API server whose context
// reads namespace ns by default ("" for none).
func kubeconfig(t *testing.T, ns string) string {
	t.Helper()
	cluster(t)
	user, err := testEnv.AddUser(envtest.User{Name: "plugin-test",
		Groups: []string{"system:masters"}}, nil)
	if err != nil {
		t.Fatalf("adding a user: %v", err)
	}
	raw, err := user.KubeConfig()
	if err != nil {
		t.Fatalf("building a kubeconfig: %v", err)
	}
	cfg, err := clientcmd.Load(raw)
	if err != nil {
		t.Fatalf("reading the kubeconfig: %v", err)
	}
	cfg.Contexts[cfg.CurrentContext].Namespace = ns
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatalf("writing the kubeconfig: %v", err)
	}
	return path
}

func TestCommandLine(t *testing.T) {
	f := newFixture(t, "cli")
	f.portRequest("office", ago(3*day), baseSpec("Golden Gate Telephone", "+14155550191"),
		inFlightStatus(portingv1alpha1.PortRequestSubmitted, ago(2*day), nil), nil)
	f.phoneNumber("office-main", ago(3*day), phoneSpec("+14155550191", "office", "desk", false),
		portingv1alpha1.PhoneNumberStatus{Phase: portingv1alpha1.PhoneNumberPending})
	plain := kubeconfig(t, "")
	withNamespace := kubeconfig(t, f.ns)

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   string
		noStdout []string
	}{{
		name:   "status of a PortRequest, flags after the arguments",
		args:   []string{"status", "portreq", "office", "-n", f.ns, "--kubeconfig", plain},
		stdout: []string{"Name:           office\n", "Phase:          Submitted\n", "Next step: "},
	}, {
		name: "status of a PhoneNumber as kind/name, namespace from the context",
		args: []string{"--kubeconfig", withNamespace, "status", "pn/office-main"},
		stdout: []string{"Number:          +14155550191\n", "Port request:    office (Submitted)",
			"Next step: "},
	}, {
		name:   "list in the namespace of the context",
		args:   []string{"list", "--kubeconfig=" + withNamespace},
		stdout: []string{"NAMESPACE", "office"},
	}, {
		name:     "list in all namespaces with a selector",
		args:     []string{"list", "-A", "-l", "app=none", "--kubeconfig", plain},
		stdout:   []string{"No ports in flight in any namespace with labels matching app=none.\n"},
		noStdout: []string{"office"},
	}, {
		name:   "a PortRequest that does not exist",
		args:   []string{"status", "portrequest", "gone", "-n", f.ns, "--kubeconfig", plain},
		code:   1,
		stderr: `error: PortRequest "gone" not found in namespace "` + f.ns + `"`,
	}, {
		name:   "a context that does not exist",
		args:   []string{"list", "--context", "elsewhere", "--kubeconfig", plain},
		code:   1,
		stderr: `context "elsewhere" does not exist`,
	}, {
		name:   "a selector that cannot be read",
		args:   []string{"list", "-l", "a b", "--kubeconfig", plain},
		code:   1,
		stderr: "reading the label selector",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(tt.args...)
			if code != tt.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			for _, want := range tt.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			for _, unwanted := range tt.noStdout {
				if strings.Contains(stdout, unwanted) {
					t.Errorf("stdout has %q:\n%s", unwanted, stdout)
				}
			}
			if tt.stderr == "" && stderr != "" {
				t.Errorf("unexpected stderr: %s", stderr)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr lacks %q: %s", tt.stderr, stderr)
			}
			if tt.code != 0 && stdout != "" {
				t.Errorf("a failed command wrote to stdout: %s", stdout)
			}
		})
	}
}

// TestUsageErrors needs no cluster: the command line is checked before the
// kubeconfig is read.
func TestUsageErrors(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "absent"))
	tests := []struct {
		args   []string
		stderr string
	}{
		{nil, "name a command"},
		{[]string{"deploy"}, `unknown command "deploy"`},
		{[]string{"status"}, "status needs a kind and a name"},
		{[]string{"status", "portreq"}, "status needs a kind and a name"},
		{[]string{"status", "pod", "web"}, `not "pod"`},
		{[]string{"status", "pn", "main", "-A"}, "apply to list only"},
		{[]string{"list", "extra"}, `list takes no arguments, got "extra"`},
		{[]string{"list", "--bogus"}, "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(tt.args...)
			if code != 1 || stdout != "" {
				t.Fatalf("exit code %d and stdout %q, want 1 and nothing", code, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) ||
				!strings.Contains(stderr, "kubectl numberport --help") {
				t.Errorf("stderr %q lacks %q or the hint to read the help", stderr, tt.stderr)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"status", "-h"}} {
		code, stdout, stderr := run(args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit code %d, stderr %q", args, code, stderr)
		}
		for _, want := range []string{"kubectl numberport status portrequest|portreq NAME",
			"--all-namespaces", "--kubeconfig"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: help lacks %q", args, want)
			}
		}
	}
}

func TestMissingKubeconfig(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("KUBECONFIG", filepath.Join(home, "absent"))
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	code, _, stderr := run("list")
	if code != 1 || !strings.Contains(stderr, "no kubeconfig found") {
		t.Fatalf("exit code %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".kube")); err == nil {
		t.Error("reading the kubeconfig created ~/.kube")
	}
}
