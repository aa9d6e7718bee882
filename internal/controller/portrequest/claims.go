package portrequest

import (
	"context"
	"fmt"

	"sigs.k8s.io/controller-runtime/pkg/client"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// numberIndex indexes PortRequests in flight by the numbers they port, so
// that a second order for a number is caught before it reaches the provider.
const numberIndex = "porting.numberport.io/number"

// IndexNumbers registers the number index with the manager's cache.
func IndexNumbers(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &portingv1alpha1.PortRequest{}, numberIndex,
		func(obj client.Object) []string {
			pr := obj.(*portingv1alpha1.PortRequest)
			if pr.Status.Phase.IsTerminal() || !pr.DeletionTimestamp.IsZero() {
				return nil
			}
			numbers := append([]string(nil), pr.Spec.Numbers...)
			for _, n := range pr.Status.Numbers {
				numbers = append(numbers, n.Number)
			}
			return numbers
		})
}

// claimedElsewhere returns another PortRequest in flight that ports one of
// the numbers and has precedence, with the number. Precedence goes to an
// order already submitted, then to the older object, then to the name, so
// that both sides agree on which one waits.
func (r *Reconciler) claimedElsewhere(ctx context.Context, pr *portingv1alpha1.PortRequest,
	numbers []string) (string, string, error) {
	for _, n := range numbers {
		list := &portingv1alpha1.PortRequestList{}
		if err := r.Client.List(ctx, list, client.MatchingFields{numberIndex: n}); err != nil {
			return "", "", fmt.Errorf("looking up other orders for a number: %w", err)
		}
		for i := range list.Items {
			other := &list.Items[i]
			if other.UID != pr.UID && precedes(other, pr) {
				return other.Namespace + "/" + other.Name, n, nil
			}
		}
	}
	return "", "", nil
}

func precedes(a, b *portingv1alpha1.PortRequest) bool {
	if (a.Status.OrderID != "") != (b.Status.OrderID != "") {
		return a.Status.OrderID != ""
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return a.CreationTimestamp.Before(&b.CreationTimestamp)
	}
	return a.Namespace+"/"+a.Name < b.Namespace+"/"+b.Name
}
