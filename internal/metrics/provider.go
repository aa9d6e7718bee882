package metrics

import (
	"context"
	"time"

	"github.com/numberport/numberport/internal/provider"
)

// Instrument wraps a provider so that every call is counted and timed, and
// every routing lookup counted by result.
func Instrument(p provider.Provider) provider.Provider {
	return provider.Provider{
		Porting: porting{p.Porting},
		Numbers: numbers{p.Numbers},
		Routing: routing{p.Routing},
	}
}

// observe records a call that started at start and ended with err.
func observe(operation string, start time.Time, err error) {
	outcome := "success"
	switch {
	case err == nil:
	case provider.IsTransient(err):
		outcome = "transient"
	default:
		outcome = "permanent"
	}
	ObserveProviderCall(operation, outcome, time.Since(start))
}

type porting struct{ next provider.Porting }

func (p porting) CheckPortability(ctx context.Context,
	numbers []string) ([]provider.Portability, error) {
	start := time.Now()
	out, err := p.next.CheckPortability(ctx, numbers)
	observe("check_portability", start, err)
	return out, err
}

func (p porting) SubmitOrder(ctx context.Context,
	req provider.OrderRequest) (provider.Order, error) {
	start := time.Now()
	out, err := p.next.SubmitOrder(ctx, req)
	observe("submit_order", start, err)
	return out, err
}

func (p porting) FindOrder(ctx context.Context, key string) (provider.Order, error) {
	start := time.Now()
	out, err := p.next.FindOrder(ctx, key)
	// Not finding an order is the expected answer before a first submission.
	if provider.IsNotFound(err) {
		observe("find_order", start, nil)
	} else {
		observe("find_order", start, err)
	}
	return out, err
}

func (p porting) GetOrder(ctx context.Context, id string) (provider.Order, error) {
	start := time.Now()
	out, err := p.next.GetOrder(ctx, id)
	observe("get_order", start, err)
	return out, err
}

func (p porting) CorrectOrder(ctx context.Context, id string,
	req provider.OrderRequest) (provider.Order, error) {
	start := time.Now()
	out, err := p.next.CorrectOrder(ctx, id, req)
	observe("correct_order", start, err)
	return out, err
}

func (p porting) CancelOrder(ctx context.Context, id string) (provider.Order, error) {
	start := time.Now()
	out, err := p.next.CancelOrder(ctx, id)
	observe("cancel_order", start, err)
	return out, err
}

type numbers struct{ next provider.Numbers }

func (n numbers) StageCallFlow(ctx context.Context, number, callFlow string) error {
	start := time.Now()
	err := n.next.StageCallFlow(ctx, number, callFlow)
	observe("stage_call_flow", start, err)
	return err
}

func (n numbers) Activate(ctx context.Context, number string) error {
	start := time.Now()
	err := n.next.Activate(ctx, number)
	observe("activate", start, err)
	return err
}

func (n numbers) Release(ctx context.Context, number string) error {
	start := time.Now()
	err := n.next.Release(ctx, number)
	observe("release", start, err)
	return err
}

type routing struct{ next provider.Routing }

func (r routing) Lookup(ctx context.Context, number string) (provider.Route, error) {
	start := time.Now()
	route, err := r.next.Lookup(ctx, number)
	observe("lookup", start, err)
	switch {
	case err != nil:
		ObserveLookup("error")
	case route.OnPlatform:
		ObserveLookup("platform")
	case !route.InService:
		ObserveLookup("disconnected")
	default:
		ObserveLookup("losing_carrier")
	}
	return route, err
}
