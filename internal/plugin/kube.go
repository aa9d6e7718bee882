package plugin

import (
	"context"
	"errors"

	eventsv1 "k8s.io/api/events/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/rest"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// reader is what the plugin reads from a cluster. It has no method for
// Secrets, nor for anything it would write.
type reader interface {
	portRequest(ctx context.Context, ns, name string) (*portingv1alpha1.PortRequest, error)
	phoneNumber(ctx context.Context, ns, name string) (*portingv1alpha1.PhoneNumber, error)
	// portRequests lists in one namespace, or in all when ns is empty.
	portRequests(ctx context.Context, ns, labelSelector string) ([]portingv1alpha1.PortRequest,
		error)
	phoneNumbers(ctx context.Context, ns string) ([]portingv1alpha1.PhoneNumber, error)
	events(ctx context.Context, ns, fieldSelector string) ([]eventsv1.Event, error)
}

// errNoAPI means the cluster serves no numberport API: the CRDs are not
// installed, or this is not the cluster the user meant.
var errNoAPI = errors.New("the cluster has no " + portingv1alpha1.GroupVersion.String() +
	" API: install the numberport CRDs, or check --context")

// kube reads through plain REST clients. A command line tool that runs once
// per command gains nothing from controller-runtime's discovery and caches,
// and stays a smaller binary without them.
type kube struct {
	portingAPI *rest.RESTClient
	eventsAPI  *rest.RESTClient
}

func newKube(cfg *rest.Config) (*kube, error) {
	// Both clients share one HTTP client, and so one connection.
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	codecs := serializer.NewCodecFactory(scheme)
	client := func(gv schema.GroupVersion) (*rest.RESTClient, error) {
		c := rest.CopyConfig(cfg)
		c.GroupVersion = &gv
		c.APIPath = "/apis"
		c.NegotiatedSerializer = codecs.WithoutConversion()
		return rest.RESTClientForConfigAndClient(c, httpClient)
	}
	porting, err := client(portingv1alpha1.GroupVersion)
	if err != nil {
		return nil, err
	}
	events, err := client(eventsv1.SchemeGroupVersion)
	if err != nil {
		return nil, err
	}
	return &kube{portingAPI: porting, eventsAPI: events}, nil
}

func (k *kube) portRequest(ctx context.Context, ns,
	name string) (*portingv1alpha1.PortRequest, error) {
	pr := &portingv1alpha1.PortRequest{}
	return pr, k.get(ctx, "portrequests", ns, name, pr)
}

func (k *kube) phoneNumber(ctx context.Context, ns,
	name string) (*portingv1alpha1.PhoneNumber, error) {
	pn := &portingv1alpha1.PhoneNumber{}
	return pn, k.get(ctx, "phonenumbers", ns, name, pn)
}

func (k *kube) portRequests(ctx context.Context, ns,
	labelSelector string) ([]portingv1alpha1.PortRequest, error) {
	list := &portingv1alpha1.PortRequestList{}
	err := listInto(ctx, k.portingAPI, "portrequests", ns, "labelSelector", labelSelector, list)
	return list.Items, k.missingAPI(ctx, err)
}

func (k *kube) phoneNumbers(ctx context.Context,
	ns string) ([]portingv1alpha1.PhoneNumber, error) {
	list := &portingv1alpha1.PhoneNumberList{}
	err := listInto(ctx, k.portingAPI, "phonenumbers", ns, "", "", list)
	return list.Items, k.missingAPI(ctx, err)
}

func (k *kube) events(ctx context.Context, ns, fieldSelector string) ([]eventsv1.Event, error) {
	list := &eventsv1.EventList{}
	err := listInto(ctx, k.eventsAPI, "events", ns, "fieldSelector", fieldSelector, list)
	return list.Items, err
}

// get reads one object.
func (k *kube) get(ctx context.Context, resource, ns, name string, into runtime.Object) error {
	err := k.portingAPI.Get().Namespace(ns).Resource(resource).Name(name).Do(ctx).Into(into)
	return k.missingAPI(ctx, err)
}

// listInto lists a resource in one namespace, or in all when ns is empty, with
// an optional selector parameter.
func listInto(ctx context.Context, c *rest.RESTClient, resource, ns, param, value string,
	into runtime.Object) error {
	req := c.Get().NamespaceIfScoped(ns, ns != "").Resource(resource)
	if value != "" {
		req = req.Param(param, value)
	}
	return req.Do(ctx).Into(into)
}

// missingAPI tells a missing object from a missing API, which both answer
// 404, by asking whether the API server serves the numberport group
// version at all. It costs a request only when something was not found.
func (k *kube) missingAPI(ctx context.Context, err error) error {
	if !apierrors.IsNotFound(err) {
		return err
	}
	gv := k.portingAPI.APIVersion()
	probe := k.portingAPI.Get().AbsPath("/apis", gv.Group, gv.Version).Do(ctx).Error()
	if apierrors.IsNotFound(probe) {
		return errNoAPI
	}
	return err
}
