package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/numbers"
	"github.com/numberport/numberport/internal/provider/simulator"
)

// Names of the objects every port of the harness refers to.
const (
	pinSecret      = "port-pin"
	documentSecret = "port-documents"
	callFlow       = "main-reception"
)

// phoneNumbers returns count distinct numbers +1 npa 556 XXXX. The 556
// exchange is outside the simulator's 555-01XX scenario range, so every
// number takes the simulator's normal path; the harness checks that, and
// that each is a valid US or Canadian number the operator accepts.
func phoneNumbers(npa string, count int) ([]string, error) {
	if count > 10000 {
		return nil, fmt.Errorf("one area code holds 10,000 numbers of an exchange, not %d", count)
	}
	out := make([]string, 0, count)
	for i := range count {
		n := fmt.Sprintf("+1%s556%04d", npa, i)
		if numbers.Region(n) == "" {
			return nil, fmt.Errorf("%s is not a valid US or Canadian number", n)
		}
		if simulator.ScenarioOf(n) != simulator.ScenarioHappy {
			return nil, fmt.Errorf("%s selects simulator scenario %s", n, simulator.ScenarioOf(n))
		}
		out = append(out, n)
	}
	return out, nil
}

// createNamespace creates a namespace and the Secrets every PortRequest of
// the harness references.
func createNamespace(ctx context.Context, c client.Client, ns string) error {
	objs := []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: pinSecret},
			StringData: map[string]string{"pin": "BENCH-PIN-1234"},
		},
		&corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: documentSecret},
			StringData: map[string]string{
				"loa.pdf":     "placeholder letter of authorization",
				"invoice.pdf": "placeholder invoice",
			},
		},
	}
	for _, o := range objs {
		if err := c.Create(ctx, o); err != nil && !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("creating %T %s: %w", o, o.GetName(), err)
		}
	}
	return nil
}

// portRequest returns a valid PortRequest for the numbers, shaped like the
// samples: a US business with its PIN and documents in Secrets.
func portRequest(ns, name string, nums []string) *portingv1alpha1.PortRequest {
	return &portingv1alpha1.PortRequest{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: portingv1alpha1.PortRequestSpec{
			Numbers: nums,
			LosingCarrier: portingv1alpha1.LosingCarrier{
				Name:          "Example Telco",
				AccountNumber: "BENCH-ACCT-5678",
				PINSecretRef:  &portingv1alpha1.SecretKeyReference{Name: pinSecret, Key: "pin"},
			},
			Subscriber: portingv1alpha1.Subscriber{
				Name:             "Example Dental LLC",
				AuthorizedPerson: "Jordan Smith",
				ServiceAddress: portingv1alpha1.ServiceAddress{
					Street:     "100 Market Street",
					City:       "San Francisco",
					Region:     "CA",
					PostalCode: "94105",
					Country:    portingv1alpha1.CountryUS,
				},
			},
			Documents: portingv1alpha1.Documents{
				LetterOfAuthorization: portingv1alpha1.SecretKeyReference{
					Name: documentSecret, Key: "loa.pdf"},
				Invoice: portingv1alpha1.Invoice{
					SecretRef: portingv1alpha1.SecretKeyReference{
						Name: documentSecret, Key: "invoice.pdf"},
					IssueDate: time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly),
				},
			},
		},
	}
}

// phoneNumber returns a PhoneNumber ported by the named PortRequest, with a
// call flow and texting, as most numbers of a business are.
func phoneNumber(ns, name, number, portRequestName string) *portingv1alpha1.PhoneNumber {
	pn := &portingv1alpha1.PhoneNumber{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: portingv1alpha1.PhoneNumberSpec{
			Number:    number,
			CallFlow:  callFlow,
			Messaging: &portingv1alpha1.Messaging{Enabled: true},
		},
	}
	if portRequestName != "" {
		pn.Spec.PortRequestRef = &portingv1alpha1.LocalObjectReference{Name: portRequestName}
	}
	return pn
}

// numberName names the PhoneNumber of a number after its digits.
func numberName(number string) string { return "n" + number[1:] }

// forEach runs f for 0..n-1 on at most workers goroutines and returns the
// first error; the others stop picking up work after it.
func forEach(ctx context.Context, n, workers int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := f(ctx, i); err != nil {
					cancel(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return ctx.Err()
}

// create creates an object, retrying what a busy API server may answer
// (timeouts, throttling) a few times. An object already there counts as
// created, so a retry after a lost response does not fail.
func create(ctx context.Context, c client.Client, o client.Object) error {
	var err error
	for attempt := range 5 {
		err = c.Create(ctx, o)
		switch {
		case err == nil, apierrors.IsAlreadyExists(err):
			return nil
		case apierrors.IsTooManyRequests(err), apierrors.IsServerTimeout(err),
			apierrors.IsTimeout(err), apierrors.IsInternalError(err):
			if serr := sleep(ctx, time.Duration(attempt+1)*200*time.Millisecond); serr != nil {
				return serr
			}
		default:
			return fmt.Errorf("creating %s: %w", o.GetName(), err)
		}
	}
	return fmt.Errorf("creating %s: %w", o.GetName(), err)
}
