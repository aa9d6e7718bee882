package phonenumber

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	portingv1alpha1 "github.com/numberport/numberport/api/v1alpha1"
)

// reconcileDelete releases the number on the platform when its
// deletionPolicy is Release, then lets the deletion finish. With Retain, the
// default, no finalizer is set and the number stays configured.
func (r *Reconciler) reconcileDelete(ctx context.Context,
	pn *portingv1alpha1.PhoneNumber) (ctrl.Result, error) {
	key := client.ObjectKeyFromObject(pn)
	if !controllerutil.ContainsFinalizer(pn, Finalizer) {
		r.forget(key)
		return ctrl.Result{}, nil
	}

	if pn.Spec.DeletionPolicy == portingv1alpha1.DeletionPolicyRelease && onPlatform(pn) {
		if err := r.Numbers.Release(ctx, pn.Spec.Number); err != nil {
			st := newState(pn, r.Clock.Now())
			next := r.platformFailed(st, "release the number", err)
			return r.finish(ctx, st, next, nil)
		}
		log.FromContext(ctx).Info("Released the number on the platform")
		r.Recorder.Eventf(pn, nil, corev1.EventTypeNormal, "Released", "Delete",
			"Released the number on the platform, as deletionPolicy Release asks")
	}

	patched := pn.DeepCopy()
	controllerutil.RemoveFinalizer(patched, Finalizer)
	if err := r.Client.Patch(ctx, patched, client.MergeFrom(pn)); err != nil &&
		!apierrors.IsNotFound(err) {
		return ctrl.Result{}, fmt.Errorf("removing finalizer: %w", err)
	}
	r.forget(key)
	return ctrl.Result{}, nil
}

// onPlatform reports whether anything was configured on the platform for the
// number, and so whether there is anything to release.
func onPlatform(pn *portingv1alpha1.PhoneNumber) bool {
	return pn.Status.StagedCallFlow != "" || pn.Status.ActivatedAt != nil
}
