// Package condition sets and reads the conditions both controllers write.
// Transition times come from the controller's clock, not the wall clock, so
// that tests with an injected clock see the times they expect, and they move
// only when a condition's status flips.
package condition

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Setter writes conditions for one generation of an object at one instant.
type Setter struct {
	Conditions *[]metav1.Condition
	Generation int64
	Now        time.Time
}

// True sets a condition to True.
func (s Setter) True(condType, reason, message string) {
	s.set(condType, metav1.ConditionTrue, reason, message)
}

// False sets a condition to False.
func (s Setter) False(condType, reason, message string) {
	s.set(condType, metav1.ConditionFalse, reason, message)
}

// Unknown sets a condition to Unknown.
func (s Setter) Unknown(condType, reason, message string) {
	s.set(condType, metav1.ConditionUnknown, reason, message)
}

// Remove drops a condition, as Stalled is dropped once nothing blocks.
func (s Setter) Remove(condType string) {
	meta.RemoveStatusCondition(s.Conditions, condType)
}

func (s Setter) set(condType string, status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(s.Conditions, metav1.Condition{
		Type:               condType,
		Status:             status,
		Reason:             reason,
		Message:            message,
		ObservedGeneration: s.Generation,
		LastTransitionTime: metav1.NewTime(s.Now.Truncate(time.Second)),
	})
}

// Reason returns the reason of a condition, or "" when it is absent.
func Reason(conds []metav1.Condition, condType string) string {
	if c := meta.FindStatusCondition(conds, condType); c != nil {
		return c.Reason
	}
	return ""
}

// IsTrue reports whether a condition is present and True.
func IsTrue(conds []metav1.Condition, condType string) bool {
	return meta.IsStatusConditionTrue(conds, condType)
}
