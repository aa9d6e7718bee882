package portrequest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/go-logr/logr"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
	"github.com/numberport/numberport/internal/provider"
	"github.com/numberport/numberport/internal/validation"
)

// inputs is what an order is built from: the spec, the number list and,
// when the order is about to be sent, the referenced Secrets' values.
type inputs struct {
	numbers []string
	// versions fingerprints the spec generation and the versions of every
	// referenced object, never their values.
	versions []string
	// request is set when the Secrets were read.
	request *provider.OrderRequest
}

// hash condenses versions into the fingerprint kept in status.inputsHash.
func (in inputs) hash() string {
	h := sha256.New()
	for _, v := range in.versions {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// resolveNumbers returns the order's numbers, from the spec or from the
// referenced ConfigMap. A missing reference is reported as a problem, with
// the delay after which to look again, since ConfigMaps are not watched.
func (r *Reconciler) resolveNumbers(ctx context.Context,
	pr *portingv1alpha1.PortRequest) (inputs, *problem, time.Duration, error) {
	in := inputs{versions: []string{"generation=" + strconv.FormatInt(pr.Generation, 10)}}
	src := pr.Spec.NumbersFrom
	if src == nil {
		in.numbers = pr.Spec.Numbers
		return in, nil, 0, nil
	}

	cm := &corev1.ConfigMap{}
	key := types.NamespacedName{Namespace: pr.Namespace, Name: src.ConfigMapKeyRef.Name}
	if err := r.APIReader.Get(ctx, key, cm); err != nil {
		if apierrors.IsNotFound(err) {
			return in, &problem{
				reason: portingv1alpha1.ReasonReferenceNotFound,
				message: fmt.Sprintf("spec.numbersFrom.configMapKeyRef: ConfigMap %q does not "+
					"exist in namespace %q; create it or fix the name", key.Name, key.Namespace),
			}, r.Poll.NearPortDate, nil
		}
		return in, nil, 0, fmt.Errorf("reading ConfigMap %s: %w", key, err)
	}
	data, ok := cm.Data[src.ConfigMapKeyRef.Key]
	if !ok {
		return in, &problem{
			reason: portingv1alpha1.ReasonReferenceNotFound,
			message: fmt.Sprintf("spec.numbersFrom.configMapKeyRef: ConfigMap %q has no key %q; "+
				"add the key or fix spec.numbersFrom.configMapKeyRef.key",
				key.Name, src.ConfigMapKeyRef.Key),
		}, r.Poll.NearPortDate, nil
	}
	list, problems := validation.ParseNumberList(src, []byte(data))
	if len(problems) > 0 {
		// ConfigMaps are not watched: look again for a fixed list.
		reason, message := validation.Summary(problems)
		return in, &problem{reason: reason, message: message}, r.Poll.NearPortDate, nil
	}
	in.numbers = list
	in.versions = append(in.versions, "configmap="+string(cm.UID)+"/"+cm.ResourceVersion)
	return in, nil, 0, nil
}

// readRequest reads the referenced Secrets and builds the request the
// provider receives. Its errors name the reference to fix and never hold a
// Secret's value.
func (r *Reconciler) readRequest(ctx context.Context, pr *portingv1alpha1.PortRequest,
	in *inputs) (*problem, error) {
	spec := &pr.Spec
	secrets := secretReader{r: r, ctx: ctx, namespace: pr.Namespace, in: in}

	req := provider.OrderRequest{
		IdempotencyKey: idempotencyKey(pr),
		Numbers:        in.numbers,
		LosingCarrier: provider.LosingCarrier{
			Name:                   spec.LosingCarrier.Name,
			AccountNumber:          spec.LosingCarrier.AccountNumber,
			BillingTelephoneNumber: spec.LosingCarrier.BillingTelephoneNumber,
		},
		Subscriber: provider.Subscriber{
			Name:             spec.Subscriber.Name,
			AuthorizedPerson: spec.Subscriber.AuthorizedPerson,
			Address: provider.Address{
				Street:          spec.Subscriber.ServiceAddress.Street,
				ExtendedAddress: spec.Subscriber.ServiceAddress.ExtendedAddress,
				City:            spec.Subscriber.ServiceAddress.City,
				Region:          spec.Subscriber.ServiceAddress.Region,
				PostalCode:      spec.Subscriber.ServiceAddress.PostalCode,
				Country:         string(spec.Subscriber.ServiceAddress.Country),
			},
		},
	}
	if ref := spec.LosingCarrier.PINSecretRef; ref != nil {
		req.LosingCarrier.PIN = string(secrets.read("spec.losingCarrier.pinSecretRef", ref))
	}
	docs := &spec.Documents
	req.Documents.LetterOfAuthorization = secrets.read(
		"spec.documents.letterOfAuthorization", &docs.LetterOfAuthorization)
	req.Documents.Invoice = secrets.read("spec.documents.invoice.secretRef",
		&docs.Invoice.SecretRef)
	if ref := docs.CustomerServiceRecord; ref != nil {
		req.Documents.CustomerServiceRecord = secrets.read(
			"spec.documents.customerServiceRecord", ref)
	}
	if secrets.problem != nil || secrets.err != nil {
		return secrets.problem, secrets.err
	}

	// The formats were checked at admission; a parse failure leaves the
	// field zero and the provider picks its default.
	req.Documents.InvoiceIssueDate, _ = time.Parse(time.DateOnly, docs.Invoice.IssueDate)
	if spec.RequestedPortDate != "" {
		req.RequestedPortDate, _ = time.Parse(time.DateOnly, spec.RequestedPortDate)
	}
	if pp := spec.PartialPort; pp != nil {
		req.PartialPort = &provider.PartialPort{
			KeepRemaining:             pp.RemainingNumbers == portingv1alpha1.RemainingNumbersKeep,
			NewBillingTelephoneNumber: pp.NewBillingTelephoneNumber,
		}
	}
	in.request = &req
	return nil, nil
}

// secretReader reads Secret keys one after the other and keeps the first
// failure, so that readRequest reads as a list of fields.
type secretReader struct {
	r         *Reconciler
	ctx       context.Context
	namespace string
	in        *inputs

	problem *problem
	err     error
}

func (s *secretReader) read(field string, ref *portingv1alpha1.SecretKeyReference) []byte {
	if s.problem != nil || s.err != nil {
		return nil
	}
	secret := &corev1.Secret{}
	key := types.NamespacedName{Namespace: s.namespace, Name: ref.Name}
	if err := s.r.APIReader.Get(quiet(s.ctx), key, secret); err != nil {
		if apierrors.IsNotFound(err) {
			s.problem = &problem{
				reason: portingv1alpha1.ReasonReferenceNotFound,
				message: fmt.Sprintf("%s: Secret %q does not exist in namespace %q; "+
					"create it or fix %s.name", field, ref.Name, s.namespace, field),
			}
			return nil
		}
		s.err = fmt.Errorf("reading Secret %s for %s: %w", key, field, err)
		return nil
	}
	value, ok := secret.Data[ref.Key]
	if !ok || len(value) == 0 {
		s.problem = &problem{
			reason: portingv1alpha1.ReasonReferenceNotFound,
			message: fmt.Sprintf("%s: Secret %q has no key %q (or it is empty); "+
				"add it or fix %s.key", field, ref.Name, ref.Key, field),
		}
		return nil
	}
	s.in.versions = append(s.in.versions,
		"secret="+string(secret.UID)+"/"+secret.ResourceVersion)
	return value
}

// IdempotencyKeyPrefix starts every idempotency key, which providers carry
// as their customer reference; the rest of the key is the PortRequest's UID.
const IdempotencyKeyPrefix = "numberport-"

// quiet returns a context whose logger discards everything. client-go logs
// response bodies through the context's logger at high verbosity, and a
// Secret's body must never reach a log, whatever the verbosity.
func quiet(ctx context.Context) context.Context {
	return logr.NewContext(ctx, logr.Discard())
}

// idempotencyKey identifies the order of one PortRequest across retries,
// restarts and leader changes. The UID changes when the object is
// re-created, which is a new order.
func idempotencyKey(pr *portingv1alpha1.PortRequest) string {
	return IdempotencyKeyPrefix + string(pr.UID)
}
