package plugin

import (
	"errors"
	"fmt"

	eventsv1 "k8s.io/api/events/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/clientcmd"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// connection is a reader of the cluster the kubeconfig names and the
// namespace to read.
type connection struct {
	client    reader
	namespace string
}

// scheme holds only what the plugin reads: the numberport kinds and Events.
// Secrets are not in it, which keeps them out of reach by construction.
var scheme = newScheme()

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := portingv1alpha1.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := eventsv1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}

// connect loads the kubeconfig the way kubectl does: --kubeconfig, then
// $KUBECONFIG, then ~/.kube/config, with --context and --namespace
// overriding the current context.
func (inv *invocation) connect() (*connection, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = inv.kubeconfig
	overrides := &clientcmd.ConfigOverrides{CurrentContext: inv.context}
	overrides.Context.Namespace = inv.namespace
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)

	cfg, err := cc.ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, errors.New("no kubeconfig found: set --kubeconfig or $KUBECONFIG, " +
				"or create ~/.kube/config")
		}
		return nil, fmt.Errorf("loading kubeconfig: %w", err)
	}
	ns, _, err := cc.Namespace()
	if err != nil {
		return nil, fmt.Errorf("reading the namespace of the kubeconfig context: %w", err)
	}
	cfg.UserAgent = "kubectl-numberport"
	c, err := newKube(cfg)
	if err != nil {
		return nil, fmt.Errorf("connecting to the cluster: %w", err)
	}
	return &connection{client: c, namespace: ns}, nil
}
