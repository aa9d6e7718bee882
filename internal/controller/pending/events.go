// Package pending holds the Events a reconcile wants to emit until its status
// write has succeeded. Emitting them only then keeps Events to one per
// change: a reconcile whose write fails is repeated, and would otherwise
// announce the same change twice.
package pending

import (
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
)

// Events is a list of Events not emitted yet. The zero value is empty.
type Events struct {
	list []event
}

type event struct {
	eventType string
	reason    string
	action    string
	note      string
}

// Add queues an Event.
func (e *Events) Add(eventType, reason, action, note string) {
	e.list = append(e.list, event{eventType, reason, action, note})
}

// Emit sends the queued Events about obj and empties the queue.
func (e *Events) Emit(rec events.EventRecorder, obj runtime.Object) {
	for _, ev := range e.list {
		rec.Eventf(obj, nil, ev.eventType, ev.reason, ev.action, "%s", ev.note)
	}
	e.list = nil
}
